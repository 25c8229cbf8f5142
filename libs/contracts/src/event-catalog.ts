import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  DealLost,
  DealOpened,
  DealStageChanged,
  DealWon,
  LeadCaptured,
  LeadDisqualified,
  LeadErased,
  LeadNurturing,
  LeadQualified,
  LeadUpdated,
} from './generated/crm/v1/events';

interface Codec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
}

// Every event on the crm.events exchange: its routing key (= AMQP "type") and the protobuf message of its body.
export const eventCatalog = {
  'lead.captured': LeadCaptured as Codec<LeadCaptured>,
  'lead.updated': LeadUpdated as Codec<LeadUpdated>,
  'lead.qualified': LeadQualified as Codec<LeadQualified>,
  'lead.disqualified': LeadDisqualified as Codec<LeadDisqualified>,
  'lead.nurturing': LeadNurturing as Codec<LeadNurturing>,
  'lead.erased': LeadErased as Codec<LeadErased>,
  'deal.opened': DealOpened as Codec<DealOpened>,
  'deal.stage_changed': DealStageChanged as Codec<DealStageChanged>,
  'deal.won': DealWon as Codec<DealWon>,
  'deal.lost': DealLost as Codec<DealLost>,
};

export type EventType = keyof typeof eventCatalog;

export type EventPayload<T extends EventType> = (typeof eventCatalog)[T] extends Codec<infer P> ? P : never;

export const eventTypes = Object.keys(eventCatalog) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, value);
}

export function encodeEvent<T extends EventType>(type: T, payload: EventPayload<T>): Buffer {
  const codec = eventCatalog[type] as unknown as Codec<EventPayload<T>>;
  return Buffer.from(codec.encode(payload).finish());
}

export function decodeEvent<T extends EventType>(type: T, body: Uint8Array): EventPayload<T> {
  const codec = eventCatalog[type] as unknown as Codec<EventPayload<T>>;
  return codec.decode(body);
}
