/**
 * Times as the pages show them: `2026-12-01 10:02 UTC`, the same for every viewer, so an admin
 * and tasksource support read one time off a screenshot.
 */
export function formatTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;

  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
