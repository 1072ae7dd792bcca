/**
 * The lab slaves' starting document: a stock node nobody has customised yet (the master's is
 * the customised one, see master-config.ts), so a first sync visibly changes several sections.
 * The project's own text, shaped like a SafeSquid config.xml (docs/protocol.md "The policy document").
 */
import { ACCESS_SECTION } from "./access-section.js";
import { HEADER_FILTERING_SECTION, switchedOff } from "./shared-sections.js";

/** config.xml of a stock node (the lab slaves start with it). */
export const FACTORY_CONFIG = `<?xml version="1.0" ?>
<safesquid>
${ACCESS_SECTION}    <cache>
        <enabled>FALSE</enabled>
        <maxmemsize>256M</maxmemsize>
        <minsize>100K</minsize>
        <maxsize>1M</maxsize>
        <store id="101">
            <enabled>FALSE</enabled>
            <comment>Disk store for cached objects.</comment>
            <path>/var/cache/safesquid/</path>
            <maxdisksize>1G</maxdisksize>
        </store>
    </cache>
    <dnsbl>
        <enabled>FALSE</enabled>
        <policy>ALLOW</policy>
    </dnsbl>
${switchedOff("forward")}    <general>
        <company_name>Example Org</company_name>
        <admin_email>admin@example.org</admin_email>
        <xforwardedfor>FALSE</xforwardedfor>
        <via>TRUE</via>
    </general>
${HEADER_FILTERING_SECTION}    <keywords-filtering>
        <enabled>FALSE</enabled>
        <policy>ALLOW</policy>
    </keywords-filtering>
${switchedOff("ldap")}    <limits>
        <enabled>TRUE</enabled>
        <limit id="103">
            <enabled>TRUE</enabled>
            <comment>Cap request headers for every user.</comment>
            <header_size>32768</header_size>
        </limit>
    </limits>
    <network>
        <dns_servers>8.8.8.8,8.8.4.4</dns_servers>
        <dns_timeout>5</dns_timeout>
        <ipv6>FALSE</ipv6>
    </network>
    <profiles>
        <enabled>TRUE</enabled>
        <profile id="105">
            <enabled>TRUE</enabled>
            <comment>Applications that cannot log in to a proxy.</comment>
            <user_agent>Microsoft-CryptoAPI,Windows-Update-Agent</user_agent>
            <added_profiles>BYPASS AUTHENTICATION</added_profiles>
        </profile>
    </profiles>
${switchedOff("redirect")}    <sslcert>
        <enabled>FALSE</enabled>
        <inspect_all>FALSE</inspect_all>
        <ca_cert>/usr/local/safesquid/security/ssl/ROOTCA.cert</ca_cert>
    </sslcert>
    <templates>
        <template id="107">
            <enabled>TRUE</enabled>
            <comment>Page shown when a request is blocked.</comment>
            <name>blocked</name>
            <file>blocked.html</file>
        </template>
    </templates>
${switchedOff("timeProfiles")}${switchedOff("rewrite")}</safesquid>
`;
