/**
 * The access section both lab documents start with (docs/emulator.md):
 * the tool's own address (127.0.0.1) reaches the interface without a login, administrators
 * on the management network log in, and every other address falls to a catch-all row that
 * requires a login and grants no CONFIG. So a slave cannot sync until `allow` puts a row for
 * its address above that last row.
 */
export const ACCESS_SECTION = `    <access>
        <policy>DENY</policy>
        <ntlm_authentication>FALSE</ntlm_authentication>
        <allow id="1">
            <enabled>TRUE</enabled>
            <comment>Reach the web interface from this machine or through an SSH tunnel.</comment>
            <profile_tracing>FALSE</profile_tracing>
            <ip>127.0.0.1</ip>
            <pamauth>FALSE</pamauth>
            <access>CONFIG,PROXY,HTTP,TRANSPARENT,CONNECT</access>
            <add_user_groups>TUNNELLED_UI_ACCESS</add_user_groups>
        </allow>
        <allow id="3">
            <enabled>TRUE</enabled>
            <comment>Administrators on the management network log in to reach the web interface.</comment>
            <profile_tracing>FALSE</profile_tracing>
            <ip>10.10.0.1-10.10.0.254</ip>
            <pamauth>TRUE</pamauth>
            <access>CONFIG,PROXY,HTTP,TRANSPARENT,CONNECT</access>
            <add_user_groups>SAFESQUID_ADMIN</add_user_groups>
        </allow>
        <allow id="5">
            <enabled>TRUE</enabled>
            <comment>Everyone else logs in to browse; the web interface is not for them.&#x0A;Users in no other group are GENERAL_USERS.</comment>
            <profile_tracing>FALSE</profile_tracing>
            <pamauth>TRUE</pamauth>
            <access>PROXY,HTTP,TRANSPARENT,CONNECT</access>
            <add_user_groups>GENERAL_USERS</add_user_groups>
        </allow>
    </access>
`;
