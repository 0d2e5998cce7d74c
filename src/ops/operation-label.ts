/** Distinct operation names kept as labels; later new names count as `other`. */
const MAX_OPERATIONS = 100;
const MAX_OPERATION_LENGTH = 64;

/** Operation names as metric labels: a bounded set, so a client cannot grow the metrics without end. */
export function createOperationLabels(): (name: string) => string {
  const operations = new Set<string>();
  return (name) => {
    if (name.length > MAX_OPERATION_LENGTH) return 'other';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATIONS) return 'other';
    operations.add(name);
    return name;
  };
}
