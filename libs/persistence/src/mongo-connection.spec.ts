import { databaseNameFor } from './mongo-connection';

describe('databaseNameFor', () => {
  it('gives the service its own database when the URL names none', () => {
    expect(databaseNameFor('mongodb://127.0.0.1:27017', 'crm_deals')).toBe('crm_deals');
    expect(databaseNameFor('mongodb://127.0.0.1:27017/', 'crm_deals')).toBe('crm_deals');
    expect(databaseNameFor('mongodb://a:1,b:2/?replicaSet=rs0', 'crm_deals')).toBe('crm_deals');
  });

  it('keeps the database the URL names', () => {
    expect(databaseNameFor('mongodb://user:pw@127.0.0.1:27017/sales?authSource=admin', 'crm_deals')).toBe('sales');
  });
});
