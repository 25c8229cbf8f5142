import mongoose, { type Connection } from 'mongoose';
import { createLogger } from '@crm/logging';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { RuleSetCatalog } from '../src/application/rule-set-catalog';
import { defaultRuleSet } from '../src/domain/rule-set';
import { ruleSetModel } from '../src/store/rule-set.model';
import { RuleSetRepository } from '../src/store/rule-set.repository';

// Two copies of the service sharing one database, re-checking the rule set in force on every scoring (cache 0 ms).
describe('the rule set in force, as copies of the service see it', () => {
  let connection: Connection;
  let thisCopy: RuleSetCatalog;
  let otherCopy: RuleSetCatalog;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, uniqueId('qualification_catalog_')))
      .asPromise();
    const catalog = () =>
      new RuleSetCatalog(
        new RuleSetRepository(ruleSetModel(connection)),
        0,
        createLogger('qualification-test', 'silent'),
        () => new Date(),
      );
    thisCopy = catalog();
    otherCopy = catalog();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('reuses the parsed set while the version in force is unchanged, and loads a replacement made by another copy', async () => {
    const first = await thisCopy.inForce();
    expect(first).toEqual(defaultRuleSet);
    // The same object, not an equal one: nothing was parsed or validated again, so scoring's per-condition cache holds.
    expect(await thisCopy.inForce()).toBe(first);

    const replacement = { ...defaultRuleSet, version: 'next.1', qualifyAt: 70 };
    await otherCopy.replace({ ruleSet: replacement, actor: 'someone', reason: 'test', expectedActiveVersion: defaultRuleSet.version });

    const second = await thisCopy.inForce();
    expect(second).toEqual(replacement);
    expect(await thisCopy.inForce()).toBe(second);
  });
});
