/**
 * Sections the lab's master and slave documents share word for word (the sections a sync
 * leaves as they were); the two documents differ in the others. The project's own text.
 */

/** A section switched off with nothing else in it: forward, ldap, redirect, timeProfiles and rewrite. */
export function switchedOff(name: string): string {
  return `    <${name}>
        <enabled>FALSE</enabled>
    </${name}>
`;
}

/** The `header-filtering` section, the same on master and slaves. */
export const HEADER_FILTERING_SECTION = `    <header-filtering>
        <enabled>TRUE</enabled>
        <policy>ALLOW</policy>
    </header-filtering>
`;
