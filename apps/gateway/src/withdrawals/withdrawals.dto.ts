import { DebitDto } from '../http/debit.dto';

export class WithdrawalDto extends DebitDto {}
