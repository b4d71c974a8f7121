import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka.js';

describe('newClusterId', () => {
  it('is 16 bytes in URL-safe base64 without padding', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("draws again when the id would start with '-', which Kafka's tools read as an option", () => {
    // 0xF8 as the first byte puts 62 ('-' in URL-safe base64) in the first six bits.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 1));
    expect(id).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(draws).toHaveLength(0);
  });
});
