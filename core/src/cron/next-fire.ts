import type { Crontab } from './crontab.js';

const MINUTE_MS = 60_000;

/**
 * Enough iterations for any schedule parseCrontab accepts: the slowest ones (a day-of-month and
 * weekday that must coincide, or February 29th) recur within a few decades, and each loop turn
 * advances at least one calendar field.
 */
const MAX_STEPS = 1_000_000;

/**
 * The first minute (UTC, epoch milliseconds) strictly after `afterMs` at which the crontab fires.
 * Walks the calendar field by field — a month that doesn't match skips to the next allowed month,
 * an hour to the next allowed hour — so a yearly schedule costs a handful of steps, not 525,600.
 */
export function nextFire(tab: Crontab, afterMs: number): number {
  const start = new Date((Math.floor(afterMs / MINUTE_MS) + 1) * MINUTE_MS);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  let day = start.getUTCDate();
  let hour = start.getUTCHours();
  let minute = start.getUTCMinutes();

  for (let step = 0; step < MAX_STEPS; step++) {
    if (!tab.months.has(month)) {
      const next = tab.months.next(month + 1);
      if (next === -1) {
        year++;
        month = tab.months.next(1);
      } else {
        month = next;
      }
      day = 1;
      hour = 0;
      minute = 0;
      continue;
    }
    if (day > daysInMonth(year, month)) {
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
      day = 1;
      hour = 0;
      minute = 0;
      continue;
    }
    if (!dayMatches(tab, year, month, day)) {
      day++;
      hour = 0;
      minute = 0;
      continue;
    }
    if (!tab.hours.has(hour)) {
      const next = tab.hours.next(hour + 1);
      if (next === -1 || next > 23) {
        day++;
        hour = 0;
        minute = 0;
        continue;
      }
      hour = next;
      minute = 0;
    }
    if (!tab.minutes.has(minute)) {
      const next = tab.minutes.next(minute + 1);
      if (next === -1 || next > 59) {
        hour++;
        minute = 0;
        if (hour > 23) {
          hour = 0;
          day++;
        }
        continue;
      }
      minute = next;
    }
    return Date.UTC(year, month - 1, day, hour, minute);
  }
  throw new Error(`crontab "${tab.source}" found no fire time after ${afterMs}`);
}

/** Whether the crontab fires at the given UTC minute (epoch milliseconds, seconds ignored). */
export function firesAt(tab: Crontab, timeMs: number): boolean {
  const d = new Date(Math.floor(timeMs / MINUTE_MS) * MINUTE_MS);
  return (
    tab.minutes.has(d.getUTCMinutes()) &&
    tab.hours.has(d.getUTCHours()) &&
    tab.months.has(d.getUTCMonth() + 1) &&
    dayMatches(tab, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
  );
}

function dayMatches(tab: Crontab, year: number, month: number, day: number): boolean {
  const dom = tab.daysOfMonth.has(day);
  const dow = tab.daysOfWeek.has(dayOfWeek(year, month, day));
  return tab.dayOr ? dom || dow : dom && dow;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month]!;
}

const SAKAMOTO = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4] as const;

/** Sunday = 0, by Sakamoto's method: pure arithmetic, no Date allocation per candidate day. */
function dayOfWeek(year: number, month: number, day: number): number {
  const y = month < 3 ? year - 1 : year;
  const n = y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + SAKAMOTO[month - 1]! + day;
  return ((n % 7) + 7) % 7;
}
