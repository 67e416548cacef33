import { minimatch } from 'minimatch';

/**
 * Whether a branch or tag name matches a list of globs: `*` within a path
 * segment (`release/*`), `**` across segments; a pattern starting with `!`
 * excludes. A name matches when no exclusion matches it and some other
 * pattern does, or when the list holds only exclusions.
 *
 * @public
 */
export function matchesGlobs(name: string, patterns: string[]): boolean {
  const include = patterns.filter(p => !p.startsWith('!'));
  const exclude = patterns.filter(p => p.startsWith('!')).map(p => p.slice(1));
  const matches = (pattern: string) =>
    minimatch(name, pattern, { dot: true, nocomment: true, nonegate: true });
  if (exclude.some(matches)) return false;
  return include.length === 0 || include.some(matches);
}
