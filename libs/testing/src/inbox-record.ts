import type { mongo } from 'mongoose';
import { waitFor } from './wait-for';

// Waits until a consumer has handled a message, by its inbox record in the consumer's database: proof that a
// delivery was taken and its handler ran, not merely that the message was published.
export function waitForHandled(db: mongo.Db, consumer: string, messageId: string): Promise<true> {
  const inbox = db.collection<{ _id: string; state: string }>('inbox');
  return waitFor(
    `${consumer} to handle ${messageId}`,
    async () => (await inbox.findOne({ _id: `${consumer}/${messageId}` }))?.state === 'done',
  );
}
