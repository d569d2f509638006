// A running run's charts, kept current: every few seconds each chart asks the server only for
// the points after the last step it holds (metrics/buckets?after_step=S, an index range scan
// there) and appends them. The whole series is fetched again only when appending would take
// a chart past twice its bucket budget, or when the new points do not come after the old ones
// in x (x by another metric, or a time that went back). The refresh stops when the run ends,
// when the page is left or redrawn (another URL), or when live=0.
import { RunBuckets } from "./chart";

// Old's entries followed by add's, or null when add's x does not all come after old's (the
// caller then refetches). points adds up; last_step is the newest one known.
export function appendBuckets(old: RunBuckets, add: RunBuckets): RunBuckets | null {
  if (add.x.length === 0) return { ...old, last_step: add.last_step ?? old.last_step };
  if (old.x.length && !(add.x[0] > old.x[old.x.length - 1])) return null;
  return {
    run_id: old.run_id,
    points: old.points + add.points,
    x: old.x.concat(add.x),
    min: old.min.concat(add.min),
    max: old.max.concat(add.max),
    last: old.last.concat(add.last),
    count: old.count.concat(add.count),
    time: old.time && add.time ? old.time.concat(add.time) : undefined,
    last_step: add.last_step ?? old.last_step,
  };
}

// Calls tick() every `seconds` while `el` is in the page and tick() answers true (the run is
// still running); one tick at a time. The page attaches `el` once drawn: until then ticks
// wait (ten at most: a page a newer navigation replaced is never attached).
export function every(seconds: number, el: HTMLElement, tick: () => Promise<boolean>): void {
  let seen = false, waits = 0, busy = false;
  const timer = setInterval(async () => {
    if (!el.isConnected) {
      if (seen || ++waits > 10) clearInterval(timer);
      return;
    }
    seen = true;
    if (busy) return;
    busy = true;
    try {
      if (!(await tick()) || !el.isConnected) clearInterval(timer);
    } finally {
      busy = false;
    }
  }, seconds * 1000);
}
