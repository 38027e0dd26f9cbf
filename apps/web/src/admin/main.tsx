import { mountApp } from '../shared/mount';
import { AdminApp } from './AdminApp';

mountApp({ basename: '/admin', storageKey: 'tally.admin', App: AdminApp });
