// Date operands must name a moment that exists: Date.parse (and so every SDK, which reads
// dates the way it does) rolls 2026-02-30 over to March 2 and T24:00 over to the next day.
// Validation refuses such operands so a rule never compares against a date nobody meant.
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME_PART = /T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** True for epoch milliseconds and for ISO dates/times whose fields are all in range. */
export function isCalendarTime(value: string | number): boolean {
  if (typeof value === "number") return true;
  const date = DATE_PART.exec(value);
  if (date === null) return true; // not an ISO date: the reader's own check reports it
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && !isLeap(year)) return false;
  const time = TIME_PART.exec(value);
  if (time === null) return true;
  const [hours, minutes, seconds, offsetHours, offsetMinutes] = time.slice(1).map((part) => Number(part ?? 0));
  return hours! < 24 && minutes! < 60 && seconds! < 60 && offsetHours! < 24 && offsetMinutes! < 60;
}
