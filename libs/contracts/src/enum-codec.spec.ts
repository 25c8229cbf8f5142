import { enumCodec } from './enum-codec';
import { DealStatus } from './generated/crm/v1/deal';

describe('enumCodec', () => {
  const status = enumCodec({ open: DealStatus.DEAL_STATUS_OPEN, won: DealStatus.DEAL_STATUS_WON, lost: DealStatus.DEAL_STATUS_LOST });

  it('maps both ways', () => {
    expect(status.toProto('won')).toBe(DealStatus.DEAL_STATUS_WON);
    expect(status.fromProto(DealStatus.DEAL_STATUS_LOST)).toBe('lost');
  });

  it('answers undefined for UNSPECIFIED and unknown values', () => {
    expect(status.fromProto(DealStatus.DEAL_STATUS_UNSPECIFIED)).toBeUndefined();
    expect(status.fromProto(99)).toBeUndefined();
  });
});
