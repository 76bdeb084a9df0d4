// "Did you mean …?" for names a person typed: environments, flag keys, operators, commands.
// Edit distance (fastest-levenshtein) with a bound that grows with the name, so "stagin" finds
// "staging" but "prod" does not pretend to be "qa".
import { distance } from "fastest-levenshtein";

/** The known name closest to `input`, or undefined when none is plausibly what was meant. */
export function closestName(input: string, known: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const candidate = name.toLowerCase();
    if (candidate === wanted) return name;
    const d = distance(wanted, candidate);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "staging"?)`, or "" when nothing is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const name = closestName(input, known);
  return name === undefined ? "" : ` (did you mean "${name}"?)`;
}
