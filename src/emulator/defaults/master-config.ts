/**
 * The lab master's starting document: the customised one of the fleet. It differs from the
 * slaves' stock document (factory-config.ts) in cache (never synced by default), dnsbl,
 * general, keywords-filtering, limits, network, profiles and sslcert, so a sync visibly
 * changes a slave. The project's own text, shaped like a SafeSquid config.xml.
 */
import { ACCESS_SECTION } from "./access-section.js";
import { HEADER_FILTERING_SECTION, switchedOff } from "./shared-sections.js";

/** config.xml of the customised master. */
export const MASTER_CONFIG = `<?xml version="1.0" ?>
<safesquid>
${ACCESS_SECTION}    <cache>
        <enabled>TRUE</enabled>
        <maxmemsize>1G</maxmemsize>
        <minsize>10K</minsize>
        <maxsize>8M</maxsize>
        <store id="201">
            <enabled>TRUE</enabled>
            <comment>Disk store for cached objects on the master's large disk.</comment>
            <path>/srv/cache/safesquid/</path>
            <maxdisksize>50G</maxdisksize>
        </store>
    </cache>
    <dnsbl>
        <enabled>TRUE</enabled>
        <policy>ALLOW</policy>
        <deny id="203">
            <enabled>TRUE</enabled>
            <comment>Refuse hosts listed by the block list service.</comment>
            <domain>bl.example.net</domain>
        </deny>
    </dnsbl>
${switchedOff("forward")}    <general>
        <company_name>Acme Widgets Ltd</company_name>
        <admin_email>proxy-team@acme.example</admin_email>
        <xforwardedfor>FALSE</xforwardedfor>
        <via>FALSE</via>
    </general>
${HEADER_FILTERING_SECTION}    <keywords-filtering>
        <enabled>TRUE</enabled>
        <policy>ALLOW</policy>
        <deny id="205">
            <enabled>TRUE</enabled>
            <comment>Block pages about gambling for GENERAL_USERS.</comment>
            <profiles>GENERAL_USERS</profiles>
            <keywords>casino,betting,jackpot</keywords>
            <threshold>3</threshold>
        </deny>
    </keywords-filtering>
${switchedOff("ldap")}    <limits>
        <enabled>TRUE</enabled>
        <limit id="207">
            <enabled>TRUE</enabled>
            <comment>Cap request headers for every user.</comment>
            <header_size>32768</header_size>
        </limit>
        <limit id="209">
            <enabled>TRUE</enabled>
            <comment>Slow down downloads of GENERAL_USERS after 500 MB a day.</comment>
            <profiles>GENERAL_USERS</profiles>
            <bytes_per_day>500M</bytes_per_day>
            <throttle>256K</throttle>
        </limit>
    </limits>
    <network>
        <dns_servers>10.20.0.53,10.20.1.53</dns_servers>
        <dns_timeout>3</dns_timeout>
        <ipv6>FALSE</ipv6>
    </network>
    <profiles>
        <enabled>TRUE</enabled>
        <profile id="211">
            <enabled>TRUE</enabled>
            <comment>Applications that cannot log in to a proxy.</comment>
            <user_agent>Microsoft-CryptoAPI,Windows-Update-Agent</user_agent>
            <added_profiles>BYPASS AUTHENTICATION</added_profiles>
        </profile>
        <profile id="213">
            <enabled>TRUE</enabled>
            <comment>Finance staff may reach banking sites without inspection.</comment>
            <user_groups>FINANCE</user_groups>
            <added_profiles>BANKING</added_profiles>
        </profile>
        <profile id="215">
            <enabled>TRUE</enabled>
            <comment>Social media is read only for everyone else.</comment>
            <categories>Social Networking</categories>
            <added_profiles>READ ONLY</added_profiles>
        </profile>
    </profiles>
${switchedOff("redirect")}    <sslcert>
        <enabled>TRUE</enabled>
        <inspect_all>TRUE</inspect_all>
        <ca_cert>/usr/local/safesquid/security/ssl/ACME-ROOTCA.cert</ca_cert>
        <donotinspect id="217">
            <enabled>TRUE</enabled>
            <comment>Never inspect banking sites.</comment>
            <profiles>BANKING</profiles>
        </donotinspect>
    </sslcert>
    <templates>
        <template id="219">
            <enabled>TRUE</enabled>
            <comment>Page shown when a request is blocked.</comment>
            <name>blocked</name>
            <file>blocked.html</file>
        </template>
    </templates>
${switchedOff("timeProfiles")}${switchedOff("rewrite")}</safesquid>
`;
