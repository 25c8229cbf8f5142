import mongoose, { type Model } from 'mongoose';
import { schemaCastOf } from '@crm/persistence';

// A document as the driver stores it (a field left undefined is not written), read back.
export function storedForm(document: object): Record<string, unknown> {
  const { BSON } = mongoose.mongo;
  return BSON.deserialize(BSON.serialize(document, { ignoreUndefined: true }));
}

// A document a store inserts prepared (see insertPrepared) as it is stored that way, and as it would be stored
// cast by its schema: tests expect the two equal.
export function preparedAndCast<T>(model: Model<T>, document: Record<string, unknown>) {
  return { prepared: storedForm(model.applyDefaults(document)), cast: storedForm(schemaCastOf(model, document)) };
}
