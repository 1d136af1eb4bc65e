import { formatTable } from '../local/replay/format-table';
import { changeEvents, hours, jiraStep, outsourcedIssues } from './support/fault-matrix';
import { replay } from './support/replay';

/** The human table stays readable when an `advance` step covers a long outage. */

describe('the replay table', () => {
  it('shows the first and last attempts of a long outage, and counts the ones between', async () => {
    const issues = outsourcedIssues(2);
    const { result } = await replay([
      jiraStep(issues),
      { receiver: { answer: 503 } },
      ...changeEvents(issues, 1),
      { note: 'six hours of outage', ...hours(6) },
    ]);

    const row = formatTable(result.steps)
      .split('\n')
      .find((line) => line.includes('six hours of outage'))!;
    expect(row.length).toBeLessThan(1500);
    expect(row).toMatch(/… \d+ more, \d+ × HTTP 503, \d+ queued, \d+ scheduled …/);
    expect(row).toMatch(/^\d+\s+Time: six hours of outage\s+\d\d-\d\d \d\d:\d\d:\d\d /);
  });
});
