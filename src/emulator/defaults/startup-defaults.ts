/**
 * The emulated node's defaults file for startup parameters: the keys of a SafeSquid
 * 2023.10 `startup.ini` with the project's own descriptions (docs/protocol.md "Startup parameters"). A node
 * writes it into its state folder once and re-reads it at every start.
 */
export const STARTUP_DEFAULTS = `# Address the proxy listens on: * for every address (IPv6 included), 0.0.0.0 for every IPv4 address.
LISTEN_IP="*"
# Port the proxy (and its web interface) listens on. Default: 8080
LISTEN_PORT="8080"
# Address of the master SafeSquid this node takes its configuration from. Empty: stand-alone.
MASTER_IP=""
# Proxy port of the master SafeSquid this node takes its configuration from.
MASTER_PORT=""
# Socket write buffer in bytes (tcp_wmem default); 0 means no limit. Default: 131072
SEND_SOCKET_BUFFERS="0"
# Socket read buffer in bytes (tcp_rmem default); 0 means no limit. Default: 131072
RECEIVE_SOCKET_BUFFERS="0"
# Seconds before TCP keep-alive probes start (tcp_keepalive_time). Default: 900
TCP_KEEPIDLE_TIME="900"
# Seconds between TCP keep-alive probes (tcp_keepalive_intvl). Default: 75
TCP_KEEPINTVL_TIME="75"
# Keep-alive probes sent before a connection is dropped (tcp_keepalive_probes). Default: 9
TCP_KEEPCNT_COUNTS="9"
# Entries in the password cache used with remote authentication. Default: 8111
PASSWORD_CACHE_SIZE="8111"
# Seconds a cached password stays valid. Default: 3600
PASSWORD_CACHE_EXPIRE_TIME="3600"
# Comma list of sections never taken from the master, e.g. limits,access. Default: cache
NEVER_SYNC="cache"
# Comma list of sections always taken from the master, even when listed in NEVER_SYNC. Default: none
ALWAYS_SYNC=""
# Size at which logs are rotated: bytes, or with M or G. Default: 1G
LOG_SIZE_LIMIT="1G"
# Seconds between two synchronizations with the master.
SYNCTIME="99"
# Sum of the log levels to write (ADVICE 0, REQUEST 1, NETWORK 2, ... SYNC 32768, ... DEBUG 134217728). Default: 134217727
LOG_LEVEL="134217727"
# What happens to rotated logs: 0 delete, 1 compress, 2 just close.
PROCESS_OLD_LOGS="1"
# Largest stack size of a thread, as a power of two. Default: 21
STACKSIZE="21"
# Reaction to heap errors: 0 ignore, 1 report, 2 abort, 3 report and abort, 5 short report, 7 short report and abort.
MALLOC_CHECKING="2"
# Expected share of moments when the thread pool is too small; more threads are prepared as it grows.
OVERLOAD_FACTOR="10"
# Seconds before an idle client connection is moved to the pool. Default: 6
SOCKET_TIMEOUT="6"
# Seconds before a spare thread ends. Default: 60
THREAD_TIMEOUT="60"
# This server's host name.
HOSTNAME=""
# This server's domain name.
DOMAIN=""
# Most threads open at once.
MAXTHREADS="8192"
# Most file descriptors open at once; about four per thread.
MAX_FDS="32768"
# UDP server address for extended logs.
EXTENDED_UDP_IP=""
# UDP server port for extended logs.
EXTENDED_UDP_PORT=""
# UDP server address for the native log.
NATIVE_UDP_IP=""
# UDP server port for the native log.
NATIVE_UDP_PORT=""
# UDP server address for configuration logs.
CONFIG_UDP_IP=""
# UDP server port for configuration logs.
CONFIG_UDP_PORT=""
# Write reports to the database as they happen: 1 yes, 0 no.
REAL_TIME_DB_WRITE="1"
# Database statements per transaction: 10, 100, 1000 or 10000.
STATEMENT_COUNT="100"
# Mail store use, in percent, above which mail older than a month is deleted.
MAX_MAIL_THRESHOLD="80"
# Mail store use, in percent, above which a notice is sent.
MIN_MAIL_THRESHOLD="60"
# Days of data kept when the mail store is cleaned.
KEEP_DATA="30"
# Concurrent connections expected; TCP tuning follows it. Default: 1000
MAX_CONCURRENT="1000"
# CPU reservation strategy. Default: 0
CPU_RESERVATION="0"
# 0 turns TLS session tickets off. Default: 1
USE_SESSION_TICKETS="1"
# Comma list of CPU cores that accept client connections. Default: 0,1
LISTEN_CPUS="0,1"
# How often updates are fetched and applied. Default: 1 hour
UPDATE_INTVL="1 hour"
# Wait before a failed update is tried again. Default: 10 Minutes
UPDATE_RETRY_DELAY="10 Minutes"
# 1 takes the certificate name from SNI rather than from the CONNECT request. Default: 0
FORCE_SNI="0"
# Most memory for the TCP stack, in percent. Default: 50
SOCK_MEM="50"
# Memory kept for the heap, in percent. Default: 66
HEAP_MEM="66"
# host:port tried to find out whether IPv6 works. Default: ipv6.google.com:443
IPV6_DETECT_SITE="ipv6.google.com:443"
# TCP_DEFER_ACCEPT for listening sockets; 0 turns it off.
CLIENT_DEFER_ACCEPT="0"
# Ciphers for TLS 1.2 and older with proxy clients.
CLIENT_CIPHERS_LIST="ALL:!ADH:!EXP:!LOW:!RC2:!3DES:!SEED:!RC4:+HIGH:+MEDIUM"
# Ciphers for TLS 1.2 and older with web servers.
SERVER_CIPHERS_LIST="ALL:!ADH:!EXP:!LOW:!RC2:!3DES:!SEED:!RC4:+HIGH:+MEDIUM"
# TLS 1.3 cipher suites, colon separated, for proxy clients.
CLIENT_CIPHERS_SUITE="TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
# TLS 1.3 cipher suites, colon separated, for web servers.
SERVER_CIPHERS_SUITE="TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
# Head file for OpenVPN based web security clients.
OPENVPN_CLIENT_HEAD="/etc/openvpn/client/client.ovpn"
# SQLite database of user names assigned to addresses.
USER_IP_DB_FILE="/var/db/safesquid/user_ip_db/sopenvpn.db"
# DNS filtering zone; "." turns DNS filtering off.
DNS_CAT_ZONE=".c.ssquid.in"
# strftime format of timestamps in extended logs; %s for Unix time.
DATE_TIME_FORMAT="%d/%b/%Y:%H:%M:%S"
`;
