import removeConfusables from 'confusables';

/**
 * Labels that look the same to a person but not to Jira: `Acme-web` and `acme-web`, or
 * `асme-web` with a Cyrillic `а`. Jira matches labels exactly, so such a label silently keeps an
 * issue from being outsourced; the app points it out instead.
 */

const DASHES = /[\u02D7\u2010-\u2015\u2043\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** The form two labels share when they differ only by case or by look-alike characters. */
export function labelSkeleton(label: string): string {
  const visible = label.normalize('NFKC').replace(INVISIBLE, '');
  return removeConfusables(visible).replace(DASHES, '-').toLowerCase();
}

/** The candidates that look like `label` without being it. */
export function findLookalikes(label: string, candidates: readonly string[]): string[] {
  const skeleton = labelSkeleton(label);
  return candidates.filter(
    (candidate) => candidate !== label && labelSkeleton(candidate) === skeleton,
  );
}
