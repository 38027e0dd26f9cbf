import { mountApp } from '../shared/mount';
import { UserApp } from './UserApp';

mountApp({ basename: '/app', storageKey: 'tally.app', App: UserApp });
