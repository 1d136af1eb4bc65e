import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseScenario } from '../local/replay/scenario';
import { outboundPayloadSchema } from '../src/core/webhook-payload';

/** The README's examples are real: the body fits the outbound schema, the scenario parses. */

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) =>
  JSON.parse(match[1]!),
);

describe('README', () => {
  it('shows an example body that fits what the app sends', () => {
    const body = jsonBlocks.find((block) => 'webhookEvent' in block);

    expect(outboundPayloadSchema.safeParse(body).error?.issues ?? []).toEqual([]);
  });

  it('shows a scenario in the format the replay accepts', () => {
    const scenario = jsonBlocks.find((block) => 'steps' in block);

    expect(() => parseScenario(scenario)).not.toThrow();
  });

  it('names the two commands a fresh machine needs', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
