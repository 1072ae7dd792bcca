/**
 * Sections the lab's master and slave documents share word for word (the sections a sync
 * leaves as they were); the two documents differ in the others. The project's own text.
 */

/** The `forward` section, the same on master and slaves. */
export const FORWARD_SECTION = `    <forward>
        <enabled>FALSE</enabled>
    </forward>
`;

/** The `header-filtering` section, the same on master and slaves. */
export const HEADER_FILTERING_SECTION = `    <header-filtering>
        <enabled>TRUE</enabled>
        <policy>ALLOW</policy>
    </header-filtering>
`;

/** The `ldap` section, the same on master and slaves. */
export const LDAP_SECTION = `    <ldap>
        <enabled>FALSE</enabled>
    </ldap>
`;

/** The `redirect` section, the same on master and slaves. */
export const REDIRECT_SECTION = `    <redirect>
        <enabled>FALSE</enabled>
    </redirect>
`;

/** The `timeProfiles` section, the same on master and slaves. */
export const TIME_PROFILES_SECTION = `    <timeProfiles>
        <enabled>FALSE</enabled>
    </timeProfiles>
`;

/** The `rewrite` section, the same on master and slaves. */
export const REWRITE_SECTION = `    <rewrite>
        <enabled>FALSE</enabled>
    </rewrite>
`;
