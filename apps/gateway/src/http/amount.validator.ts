import { registerDecorator, ValidationOptions } from 'class-validator';

/** A decimal string or a JSON number; the owning service checks it against the currency. */
export function IsAmountInput(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAmountInput',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a decimal string or number`, ...options },
      validator: {
        validate: (value: unknown) => (typeof value === 'string' && value.length <= 40) || (typeof value === 'number' && Number.isFinite(value)),
      },
    });
}

/** JSON numbers are turned into their decimal text before they reach a service: no float crosses Kafka. */
export function amountText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}
