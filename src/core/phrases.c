/*
 * phrases.c - the classifier's phrase table and its Aho-Corasick matcher
 * (pure C core, no postgres.h).
 *
 * The phrases are what MTAs write in reply texts (Postfix, Exim, Sendmail,
 * qmail, Exchange/Office 365, Gmail, Yahoo, DNSBLs, filters ...), each with
 * the reason it means, a priority and flags.  They are compiled into one
 * deterministic automaton so a text is matched against all of them in a
 * single pass, whatever their number.
 *
 * Normalisation, applied alike to phrases and text: ASCII letters are
 * lowercased, every other ASCII byte that is not a letter or digit
 * (white space and punctuation) and every byte >= 0x80 (curly quotes,
 * no-break spaces, other scripts: the phrases are ASCII) counts as a
 * separator, and runs of separators fold to one space; '@' is an opaque
 * symbol (so the local part of "<blocked@example.org>" is not a word).  So
 * "Recipient address rejected: User unknown" matches the phrase
 * "recipient address rejected: user unknown", and "(SPF)" matches the
 * whole word "spf".
 *
 * The automaton lives in static fixed-size arrays and is built lazily on
 * first use, once per process (a PostgreSQL backend is single-threaded;
 * bounce_classify_init() may be called earlier, e.g. from _PG_init).  No
 * allocation at all.
 */
#include "phrases.h"

#include "classify.h"
#include "chars.h"
#include "japanese.h"
#include "scripts.h"

#include <string.h>

#define R(x) BOUNCE_REASON_##x
#define S PHRASE_STRONG
#define W PHRASE_WORD
#define WL PHRASE_WB_LEFT
#define J PHRASE_JA
#define U PHRASE_UNI

/*
 * Priority scale: 90 unambiguous and specific (names of blocklists, DMARC),
 * 70 clear statements ("mailbox full", "user unknown"), 50 usual wording,
 * 30 broad wording, 10 vague words that only help when nothing else does.
 */
static const bounce_phrase phrases[] = {
	/* --- userunknown: the mailbox does not exist --- */
	{"user unknown", R(USERUNKNOWN), 70, S},
	{"unknown user", R(USERUNKNOWN), 70, S},
	{"unknown recipient", R(USERUNKNOWN), 70, S},
	{"recipient unknown", R(USERUNKNOWN), 70, S},
	{"no such user", R(USERUNKNOWN), 70, S},
	{"no such recipient", R(USERUNKNOWN), 70, S},
	{"no such mailbox", R(USERUNKNOWN), 70, S},
	{"no such account", R(USERUNKNOWN), 70, S},
	{"no such address", R(USERUNKNOWN), 60, 0},
	{"no such person", R(USERUNKNOWN), 70, 0},
	{"user not found", R(USERUNKNOWN), 70, S},
	{"user not exist", R(USERUNKNOWN), 70, S},
	{"user does not exist", R(USERUNKNOWN), 70, S},
	{"user doesn't exist", R(USERUNKNOWN), 70, S},
	{"user doesnt exist", R(USERUNKNOWN), 70, S},
	{"mailbox not found", R(USERUNKNOWN), 70, S},
	{"mailbox does not exist", R(USERUNKNOWN), 70, S},
	{"mailbox doesn't exist", R(USERUNKNOWN), 70, S},
	{"mailbox unknown", R(USERUNKNOWN), 70, S},
	{"unknown mailbox", R(USERUNKNOWN), 70, S},
	{"recipient not found", R(USERUNKNOWN), 70, S},
	{"recipient does not exist", R(USERUNKNOWN), 70, S},
	{"recipient doesn't exist", R(USERUNKNOWN), 70, S},
	{"address does not exist", R(USERUNKNOWN), 60, 0},
	{"address doesn't exist", R(USERUNKNOWN), 60, 0},
	{"account does not exist", R(USERUNKNOWN), 70, S},
	{"account doesn't exist", R(USERUNKNOWN), 70, S},
	{"email account that you tried to reach does not exist", R(USERUNKNOWN), 80, S},
	{"does not exist", R(USERUNKNOWN), 30, 0},
	{"doesn't exist", R(USERUNKNOWN), 30, 0},
	{"invalid recipient", R(USERUNKNOWN), 60, 0},
	{"invalid mailbox", R(USERUNKNOWN), 60, 0},
	{"invalid user", R(USERUNKNOWN), 60, 0},
	{"invalid address", R(USERUNKNOWN), 40, 0},
	{"bad recipient", R(USERUNKNOWN), 50, 0},
	{"unknown address", R(USERUNKNOWN), 50, 0},
	{"unknown local part", R(USERUNKNOWN), 70, S},
	{"unknown or illegal user", R(USERUNKNOWN), 70, S},
	{"illegal user", R(USERUNKNOWN), 50, 0},
	{"recipnotfound", R(USERUNKNOWN), 80, S},
	{"recipientnotfound", R(USERUNKNOWN), 80, S},
	{"recipient address rejected", R(USERUNKNOWN), 25, 0},
	{"recipient address rejected: access denied", R(USERUNKNOWN), 55, S},
	{"address rejected", R(USERUNKNOWN), 20, 0},
	{"recipient rejected", R(USERUNKNOWN), 25, 0},
	{"no mailbox here", R(USERUNKNOWN), 80, S},
	{"no mailbox by that name", R(USERUNKNOWN), 80, S},
	{"mailbox unavailable", R(USERUNKNOWN), 40, 0},
	{"mailbox is unavailable", R(USERUNKNOWN), 40, 0},
	{"mailbox not available", R(USERUNKNOWN), 40, 0},
	{"mailbox currently unavailable", R(USERUNKNOWN), 40, 0},
	{"unknown or invalid recipient", R(USERUNKNOWN), 70, S},
	{"not a valid recipient", R(USERUNKNOWN), 60, 0},
	{"not a valid mailbox", R(USERUNKNOWN), 60, 0},
	{"no valid recipients", R(USERUNKNOWN), 50, 0},
	{"doesn't have a", R(USERUNKNOWN), 40, 0},
	{"does not have an account", R(USERUNKNOWN), 60, 0},
	{"no account by that name", R(USERUNKNOWN), 70, S},
	{"not listed in domino directory", R(USERUNKNOWN), 70, S},
	{"not listed in public name & address book", R(USERUNKNOWN), 70, S},
	{"invalid final delivery userid", R(USERUNKNOWN), 70, S},
	{"undeliverable address", R(USERUNKNOWN), 50, 0},
	{"no such local user", R(USERUNKNOWN), 70, S},
	{"not our user", R(USERUNKNOWN), 60, 0},
	{"unrouteable address", R(HOSTUNKNOWN), 50, 0},
	{"address unknown", R(USERUNKNOWN), 60, 0},
	{"destination address unknown", R(USERUNKNOWN), 60, 0},
	{"bad destination mailbox address", R(USERUNKNOWN), 60, 0},
	{"is not a known user", R(USERUNKNOWN), 70, S},
	{"recipient is not local", R(USERUNKNOWN), 40, 0},
	{"user is unknown", R(USERUNKNOWN), 70, S},
	{"unknown account", R(USERUNKNOWN), 60, 0},
	{"account unknown", R(USERUNKNOWN), 60, 0},
	{"returned unknown recipient", R(USERUNKNOWN), 70, S},
	{"adresse destinataire invalide", R(USERUNKNOWN), 60, 0},
	{"utilisateur inconnu", R(USERUNKNOWN), 70, S},
	{"benutzer unbekannt", R(USERUNKNOWN), 70, S},
	{"unbekannter empfaenger", R(USERUNKNOWN), 70, S},

	/* --- suspend: the mailbox exists but is disabled --- */
	{"account has been disabled", R(SUSPEND), 75, S},
	{"account is disabled", R(SUSPEND), 75, S},
	{"account disabled", R(SUSPEND), 75, S},
	{"account that you tried to reach is disabled", R(SUSPEND), 85, S},
	{"disabled recipient", R(SUSPEND), 75, S},
	{"disabled user", R(SUSPEND), 70, 0},
	{"mailbox disabled", R(SUSPEND), 75, S},
	{"mailbox temporarily disabled", R(SUSPEND), 75, S},
	{"mailbox has been disabled", R(SUSPEND), 75, S},
	{"mailbox is disabled", R(SUSPEND), 75, S},
	{"account has been suspended", R(SUSPEND), 75, S},
	{"account is suspended", R(SUSPEND), 75, S},
	{"account suspended", R(SUSPEND), 75, S},
	{"mailbox suspended", R(SUSPEND), 75, S},
	{"suspended", R(SUSPEND), 35, 0},
	{"account is inactive", R(SUSPEND), 75, S},
	{"inactive account", R(SUSPEND), 70, 0},
	{"account inactive", R(SUSPEND), 70, 0},
	{"mailbox is inactive", R(SUSPEND), 75, S},
	{"inactive", R(SUSPEND), 30, W},
	{"deactivated", R(SUSPEND), 50, 0},
	{"account has been deactivated", R(SUSPEND), 75, S},
	{"account is locked", R(SUSPEND), 70, 0},
	{"account locked", R(SUSPEND), 70, 0},
	{"temporary locked", R(SUSPEND), 60, 0},
	{"temporarily locked", R(SUSPEND), 60, 0},
	{"mailbox is frozen", R(SUSPEND), 70, 0},
	{"account frozen", R(SUSPEND), 70, 0},
	{"discontinued", R(SUSPEND), 50, 0},
	{"account expired", R(SUSPEND), 70, 0},
	{"account has expired", R(SUSPEND), 70, 0},
	{"is no longer active", R(SUSPEND), 60, 0},
	{"not active", R(SUSPEND), 30, 0},
	{"disableduser", R(SUSPEND), 80, S},
	{"user account disabled", R(SUSPEND), 80, S},
	{"receiving disabled", R(SUSPEND), 70, 0},
	{"account has been closed", R(SUSPEND), 70, 0},
	{"account closed", R(SUSPEND), 65, 0},

	/* --- hasmoved --- */
	{"no longer on server", R(HASMOVED), 70, S},
	{"has moved", R(HASMOVED), 50, 0},
	{"user has moved", R(HASMOVED), 70, S},
	{"address has changed", R(HASMOVED), 60, 0},
	{"not our customer", R(HASMOVED), 60, 0},
	{"no longer at this", R(HASMOVED), 50, 0},

	/* --- mailboxfull --- */
	{"mailbox full", R(MAILBOXFULL), 80, S},
	{"mailbox is full", R(MAILBOXFULL), 80, S},
	{"mailfolder is full", R(MAILBOXFULL), 80, S},
	{"mail folder is full", R(MAILBOXFULL), 80, S},
	{"mailbox was full", R(MAILBOXFULL), 80, S},
	{"mailbox is over quota", R(MAILBOXFULL), 80, S},
	{"mailbox over quota", R(MAILBOXFULL), 80, S},
	{"mailbox for user is full", R(MAILBOXFULL), 80, S},
	{"over quota", R(MAILBOXFULL), 75, S},
	{"overquota", R(MAILBOXFULL), 75, S},
	{"over the quota", R(MAILBOXFULL), 75, S},
	{"over its quota", R(MAILBOXFULL), 75, S},	/* Notes: "mail file is over its quota" */
	{"quota exceeded", R(MAILBOXFULL), 75, S},
	{"quota exceed", R(MAILBOXFULL), 70, S},
	{"exceeded quota", R(MAILBOXFULL), 75, S},
	{"exceeded the quota", R(MAILBOXFULL), 75, S},
	{"exceeded their quota", R(MAILBOXFULL), 75, S},
	{"exceeded his quota", R(MAILBOXFULL), 75, S},
	{"exceeded her quota", R(MAILBOXFULL), 75, S},
	{"quota full", R(MAILBOXFULL), 75, S},
	{"quotaexceeded", R(MAILBOXFULL), 80, S},
	{"disk quota", R(MAILBOXFULL), 70, S},
	{"mail quota", R(MAILBOXFULL), 70, S},
	{"mailbox quota", R(MAILBOXFULL), 70, S},
	{"storage quota", R(MAILBOXFULL), 75, S},
	{"exceeded storage allocation", R(MAILBOXFULL), 80, S},
	{"exceeds allowed size", R(MAILBOXFULL), 60, 0},
	{"mailbox exceeds", R(MAILBOXFULL), 65, 0},
	{"mailbox size limit", R(MAILBOXFULL), 75, S},
	{"mailbox has exceeded", R(MAILBOXFULL), 75, S},
	{"mailbox is out of storage", R(MAILBOXFULL), 80, S},
	{"out of storage space", R(MAILBOXFULL), 75, S},
	{"out of storage", R(MAILBOXFULL), 60, 0},
	{"over the storage limit", R(MAILBOXFULL), 80, S},
	{"inbox is full", R(MAILBOXFULL), 80, S},
	{"inbox full", R(MAILBOXFULL), 80, S},
	{"user is over", R(MAILBOXFULL), 60, 0},
	{"not enough storage", R(MAILBOXFULL), 60, 0},
	{"insufficient storage", R(MAILBOXFULL), 50, 0},
	{"mailbox exceeded the local limit", R(MAILBOXFULL), 80, S},
	{"number of messages in recipient's mailbox exceeded", R(MAILBOXFULL), 80, S},
	{"too many messages in this mailbox", R(MAILBOXFULL), 80, S},
	{"has too many messages on the server", R(MAILBOXFULL), 80, S},
	{"full mailbox", R(MAILBOXFULL), 75, S},
	{"overdrawn", R(MAILBOXFULL), 70, 0},
	{"diskspace quota", R(MAILBOXFULL), 75, S},
	{"mailbox has reached its limit", R(MAILBOXFULL), 80, S},
	{"boite pleine", R(MAILBOXFULL), 75, S},
	{"postfach voll", R(MAILBOXFULL), 75, S},

	/* --- systemfull --- */
	{"insufficient system storage", R(SYSTEMFULL), 75, 0},
	{"insufficient disk space", R(SYSTEMFULL), 75, S},
	{"out of disk space", R(SYSTEMFULL), 70, 0},
	{"disk full", R(SYSTEMFULL), 65, 0},
	{"file system full", R(SYSTEMFULL), 70, 0},
	{"system storage", R(SYSTEMFULL), 50, 0},
	{"no space left on device", R(SYSTEMFULL), 70, 0},

	/* --- greylisting --- */
	{"greylist", R(GREYLISTING), 90, S},
	{"greylisted", R(GREYLISTING), 90, S},
	{"greylisting", R(GREYLISTING), 90, S},
	{"graylist", R(GREYLISTING), 90, S},
	{"graylisted", R(GREYLISTING), 90, S},
	{"graylisting", R(GREYLISTING), 90, S},
	{"grey list", R(GREYLISTING), 90, S},
	{"gray list", R(GREYLISTING), 90, S},
	{"grey-listed", R(GREYLISTING), 90, S},
	{"gray-listed", R(GREYLISTING), 90, S},
	{"postgrey", R(GREYLISTING), 90, S},
	{"try again later greylisting", R(GREYLISTING), 90, S},
	{"temporarily deferred greylisting", R(GREYLISTING), 90, S},

	/* --- speeding: rate of messages --- */
	{"rate limit", R(SPEEDING), 72, S},
	{"frequency limited", R(SPEEDING), 80, S},
	{"frequency limit", R(SPEEDING), 78, S},
	{"sending frequency", R(SPEEDING), 72, S},
	{"rate limited", R(SPEEDING), 72, S},
	{"ratelimit", R(SPEEDING), 72, S},
	{"rate-limited", R(SPEEDING), 72, S},
	{"too many messages", R(SPEEDING), 72, S},
	{"too many emails", R(SPEEDING), 72, S},
	{"too many mails", R(SPEEDING), 72, S},
	{"sending rate", R(SPEEDING), 72, S},
	{"throttled", R(SPEEDING), 72, S},
	{"throttling", R(SPEEDING), 72, S},
	{"throttle", R(SPEEDING), 65, 0},
	{"receiving mail at a rate", R(SPEEDING), 85, S},
	{"receiving mail too quickly", R(SPEEDING), 85, S},
	{"sending too fast", R(SPEEDING), 80, S},
	{"unusual rate", R(SPEEDING), 60, 0},
	{"exceeded the rate", R(SPEEDING), 75, S},
	{"message rate", R(SPEEDING), 70, S},
	{"too much mail", R(SPEEDING), 70, S},
	{"hourly limit", R(SPEEDING), 70, 0},
	{"per hour", R(SPEEDING), 60, W},	/* "per hour message receive limit ... exceeded" */
	{"daily limit", R(SPEEDING), 60, 0},
	{"sending limit", R(SPEEDING), 70, 0},
	{"sending limit exceeded", R(SPEEDING), 80, S},
	{"demasiados mensajes", R(SPEEDING), 70, S},	/* es */
	{"demasiados correos", R(SPEEDING), 70, S},
	{"zu viele nachrichten", R(SPEEDING), 70, S},	/* de */
	{"zu viele e mails", R(SPEEDING), 70, S},
	{"trop de messages", R(SPEEDING), 70, S},	/* fr */
	{"troppi messaggi", R(SPEEDING), 70, S},	/* it */
	{"mensagens demais", R(SPEEDING), 70, S},	/* pt */
	{"excesso de mensagens", R(SPEEDING), 70, S},
	{"zbyt wiele wiadomo", R(SPEEDING), 70, S},	/* pl: zbyt wiele wiadomości */
	{"te veel berichten", R(SPEEDING), 70, S},	/* nl */
	{"daily sending quota", R(SPEEDING), 85, S},
	{"sending quota", R(SPEEDING), 80, S},
	{"relay quota", R(SPEEDING), 80, S},
	{"too fast", R(SPEEDING), 50, 0},
	{"messages per", R(SPEEDING), 50, 0},
	{"submission quota", R(SPEEDING), 80, S},
	{"rcpt rate", R(SPEEDING), 75, S},
	{"reciplimit", R(TOOMANYCONN), 75, 0},
	{"unexpected volume", R(BADREPUTATION), 75, 0},
	{"rate that prevents additional messages", R(SPEEDING), 85, S},

	/* --- toomanyconn: connections, recipients per session --- */
	{"too many connections", R(TOOMANYCONN), 80, S},
	{"concurrent server connections", R(TOOMANYCONN), 75, S},	/* Exchange: "maximum number of ... exceeded" */
	{"concurrent connections", R(TOOMANYCONN), 70, S},
	{"too many concurrent", R(TOOMANYCONN), 80, S},
	{"too many simultaneous", R(TOOMANYCONN), 80, S},
	{"too many sessions", R(TOOMANYCONN), 80, S},
	{"too many smtp sessions", R(TOOMANYCONN), 80, S},
	{"connection rate limit", R(TOOMANYCONN), 85, S},
	{"connection limit", R(TOOMANYCONN), 75, S},
	{"connections limit", R(TOOMANYCONN), 75, S},
	{"too many recipients", R(TOOMANYCONN), 80, S},
	{"too many rcpt", R(TOOMANYCONN), 80, S},
	{"too many errors", R(TOOMANYCONN), 60, 0},
	{"too many connection", R(TOOMANYCONN), 80, S},
	{"max connections", R(TOOMANYCONN), 75, S},
	{"maximum number of connections", R(TOOMANYCONN), 80, S},
	{"connection count", R(TOOMANYCONN), 60, 0},
	{"try again later closing connection", R(TOOMANYCONN), 60, 0},
	{"resources temporarily unavailable", R(TOOMANYCONN), 40, 0},

	/* --- blocked: the sending host or IP is blocked --- */
	{"blocked using", R(BLOCKED), 90, S},
	{"listed at", R(BLOCKED), 50, 0},
	{"listed in", R(BLOCKED), 45, 0},
	{"listed on", R(BLOCKED), 45, 0},
	{"is listed", R(BLOCKED), 45, 0},
	{"dnsbl", R(BLOCKED), 85, S},
	{"rbl", R(BLOCKED), 80, W},
	{"spamhaus", R(BLOCKED), 90, S},
	{"spamcop", R(BLOCKED), 90, S},
	{"barracuda", R(BLOCKED), 80, 0},
	{"barracudacentral", R(BLOCKED), 90, S},
	{"sorbs", R(BLOCKED), 90, S | W},
	{"psbl", R(BLOCKED), 85, S | W},
	{"uceprotect", R(BLOCKED), 90, S},
	{"abuseat", R(BLOCKED), 90, S},
	{"cbl", R(BLOCKED), 80, W},
	{"blacklist", R(BLOCKED), 70, S},
	{"blacklisted", R(BLOCKED), 70, S},
	{"blocklist", R(BLOCKED), 70, S},
	{"blocklisted", R(BLOCKED), 70, S},
	{"black list", R(BLOCKED), 70, S},
	{"block list", R(BLOCKED), 70, S},
	{"denylist", R(BLOCKED), 70, S},
	{"client host rejected", R(BLOCKED), 60, 0},
	{"client host blocked", R(BLOCKED), 80, S},
	{"client host", R(BLOCKED), 30, 0},
	{"host blocked", R(BLOCKED), 70, 0},
	{"ip blocked", R(BLOCKED), 75, S},
	{"ip address blocked", R(BLOCKED), 75, S},
	{"ip address blacklisted", R(BLOCKED), 80, S},
	{"ip address has been blocked", R(BLOCKED), 80, S},
	{"your ip", R(BLOCKED), 45, 0},
	{"sending ip", R(BLOCKED), 40, 0},
	{"banned sending ip", R(BLOCKED), 85, S},
	{"banned ip", R(BLOCKED), 60, 0},
	{"ip banned", R(BLOCKED), 60, 0},
	{"ip is banned", R(BLOCKED), 60, 0},
	{"banned host", R(BLOCKED), 60, 0},
	{"host is banned", R(BLOCKED), 60, 0},
	{"has been blocked", R(BLOCKED), 55, 0},
	{"have been blocked", R(BLOCKED), 55, 0},
	{"is blocked", R(BLOCKED), 55, 0},
	{"blocked by", R(BLOCKED), 55, 0},
	{"blocked for abuse", R(BLOCKED), 80, S},
	{"blocked", R(BLOCKED), 40, W},
	{"refused to talk to me", R(BLOCKED), 60, 0},
	{"not accepting connections", R(BLOCKED), 50, 0},
	{"please use the smtp server of your isp", R(BLOCKED), 80, 0},
	{"dynamic ip", R(BLOCKED), 70, 0},
	{"dynamic ips", R(BLOCKED), 70, 0},
	{"dial-up", R(BLOCKED), 60, 0},
	{"dialup", R(BLOCKED), 60, 0},
	{"residential", R(BLOCKED), 55, 0},
	{"generic rdns", R(BLOCKED), 70, 0},
	{"weren't sent", R(BLOCKED), 60, 0},
	{"part of their network is on our block list", R(BLOCKED), 90, S},
	{"s3140", R(BLOCKED), 85, S | W},
	{"s3150", R(BLOCKED), 85, S | W},
	{"ou-001", R(BLOCKED), 85, W},
	{"ou-002", R(SPAMDETECTED), 85, W},
	{"bl21", R(BLOCKED), 85, S | W},
	{"bl22", R(BLOCKED), 85, S | W},
	{"bl23", R(BLOCKED), 85, S | W},
	{"traffic not accepted from this ip", R(BLOCKED), 85, S},
	{"not allowed to send mail", R(BLOCKED), 40, 0},
	{"access denied, banned", R(BLOCKED), 85, S},
	{"bl", R(BLOCKED), 30, W},
	{"envelope blocked", R(BLOCKED), 70, 0},
	{"mail server is blocked", R(BLOCKED), 80, S},
	{"invalid ip for sending mail", R(BLOCKED), 70, 0},
	{"may not be mail exchanger", R(BLOCKED), 60, 0},
	{"blocked due to", R(BLOCKED), 60, 0},
	{"ip not in whitelist", R(BLOCKED), 60, 0},
	{"unusual rate of unsolicited mail", R(BLOCKED), 85, S},
	{"not authorized to send email directly to our servers", R(BLOCKED), 85, S},
	{"sc-001", R(BLOCKED), 85, W},
	{"sc-002", R(BLOCKED), 85, W},
	{"sc-003", R(BLOCKED), 85, W},
	{"sc-004", R(BLOCKED), 85, W},
	{"dy-001", R(BLOCKED), 85, W},
	{"dy-002", R(BLOCKED), 85, W},
	{"helo command rejected", R(BLOCKED), 78, 0},
	{"need fully-qualified hostname", R(BLOCKED), 70, 0},
	{"my name was rejected", R(BLOCKED), 60, 0},
	{"banned sender", R(BLOCKED), 70, 0},
	{"which is an open relay", R(BLOCKED), 70, 0},

	/* --- badreputation --- */
	{"reputation", R(BADREPUTATION), 60, 0},
	{"poor reputation", R(BADREPUTATION), 80, S},
	{"bad reputation", R(BADREPUTATION), 80, S},
	{"low reputation", R(BADREPUTATION), 80, S},
	{"very low reputation", R(BADREPUTATION), 85, S},
	{"ip reputation", R(BADREPUTATION), 75, S},	/* "rate limited due to IP reputation": the cause */
	{"sender score", R(BADREPUTATION), 70, 0},
	{"senderscore", R(BADREPUTATION), 70, 0},
	{"tss04", R(BADREPUTATION), 85, S | W},
	{"tss01", R(BADREPUTATION), 85, S | W},
	{"ts01", R(BADREPUTATION), 85, S | W},
	{"ts02", R(BADREPUTATION), 85, S | W},
	{"ts03", R(BADREPUTATION), 85, S | W},
	{"user complaints", R(BADREPUTATION), 70, 0},

	/* --- spamdetected --- */
	{"spam", R(SPAMDETECTED), 55, W},
	{"spam detected", R(SPAMDETECTED), 80, S},
	{"detected as spam", R(SPAMDETECTED), 80, S},
	{"identified as spam", R(SPAMDETECTED), 80, S},
	{"considered spam", R(SPAMDETECTED), 80, S},
	{"classified as spam", R(SPAMDETECTED), 80, S},
	{"rejected as spam", R(SPAMDETECTED), 80, S},
	{"looks like spam", R(SPAMDETECTED), 80, S},
	{"appears to be spam", R(SPAMDETECTED), 80, S},
	{"spam message", R(SPAMDETECTED), 75, S},
	{"spam score", R(SPAMDETECTED), 80, S},
	{"spam content", R(SPAMDETECTED), 75, S},
	{"spamassassin", R(SPAMDETECTED), 75, 0},
	{"junk mail", R(SPAMDETECTED), 70, 0},
	{"junk email", R(SPAMDETECTED), 70, 0},
	{"ube", R(SPAMDETECTED), 65, W},
	{"uce", R(SPAMDETECTED), 65, W},
	{"unsolicited", R(SPAMDETECTED), 65, 0},
	{"likely unsolicited mail", R(SPAMDETECTED), 80, S},
	{"bulk mail", R(SPAMDETECTED), 60, 0},
	{"bulk email", R(SPAMDETECTED), 60, 0},	/* "blocked by our bulk email filter" */
	{"blacklisted url", R(SPAMDETECTED), 85, S},
	{"uribl", R(SPAMDETECTED), 85, S},
	{"surbl", R(SPAMDETECTED), 85, S},
	{"spam policy", R(SPAMDETECTED), 70, 0},
	{"suspected spam", R(SPAMDETECTED), 80, S},
	{"high probability of being spam", R(SPAMDETECTED), 85, S},
	{"message is likely suspicious", R(BADREPUTATION), 60, 0},
	{"mail rejected", R(SPAMDETECTED), 15, 0},
	{"phishing", R(SPAMDETECTED), 70, 0},
	{"spam abuse", R(SPAMDETECTED), 80, S},

	/* --- virusdetected --- */
	{"virus", R(VIRUSDETECTED), 85, S},
	{"viruses", R(VIRUSDETECTED), 85, S},
	{"malware", R(VIRUSDETECTED), 85, S},
	{"infected", R(VIRUSDETECTED), 80, S},
	{"trojan", R(VIRUSDETECTED), 80, S},
	{"worm", R(VIRUSDETECTED), 60, W},
	{"malicious", R(VIRUSDETECTED), 60, 0},
	{"dangerous attachment", R(VIRUSDETECTED), 60, 0},
	{"executable attachment", R(POLICYVIOLATION), 60, 0},

	/* --- mesgtoobig / exceedlimit --- */
	{"message too large", R(MESGTOOBIG), 75, S},
	{"message too big", R(MESGTOOBIG), 75, S},
	{"message is too large", R(MESGTOOBIG), 75, S},
	{"message is too big", R(MESGTOOBIG), 75, S},
	{"message size exceeds", R(MESGTOOBIG), 75, 0},
	{"message size too large", R(MESGTOOBIG), 75, 0},
	{"message size limit", R(MESGTOOBIG), 75, 0},
	{"size exceeds", R(MESGTOOBIG), 60, 0},
	{"size limit", R(MESGTOOBIG), 50, 0},
	{"mail size limit exceeded", R(MESGTOOBIG), 80, 0},
	{"exceeds the maximum", R(MESGTOOBIG), 55, 0},
	{"maximum message size", R(MESGTOOBIG), 70, 0},
	{"exceeds size limit", R(MESGTOOBIG), 75, 0},
	{"too large", R(MESGTOOBIG), 45, 0},
	{"too big", R(MESGTOOBIG), 45, 0},
	{"recipsizelimit", R(MESGTOOBIG), 80, 0},
	{"message length exceeds", R(EXCEEDLIMIT), 75, 0},
	{"exceeds administrative limit", R(EXCEEDLIMIT), 70, 0},
	{"line limit exceeded", R(MESGTOOBIG), 60, 0},
	{"line too long", R(SYNTAXERROR), 55, 0},
	{"exceeds limit", R(EXCEEDLIMIT), 45, 0},
	{"limit exceeded", R(EXCEEDLIMIT), 35, 0},

	/* --- hostunknown --- */
	{"host unknown", R(HOSTUNKNOWN), 75, S},
	{"unknown host", R(HOSTUNKNOWN), 75, S},
	{"host not found", R(HOSTUNKNOWN), 75, S},
	/* "Host not found, try again" is a temporary DNS failure (TRY_AGAIN) */
	{"host not found, try again", R(NETWORKERROR), 80, S},
	{"dns lookup failure", R(HOSTUNKNOWN), 55, 0},
	{"domain not found", R(HOSTUNKNOWN), 75, S},
	{"domain does not exist", R(HOSTUNKNOWN), 75, S},
	{"domain doesn't exist", R(HOSTUNKNOWN), 75, S},
	{"no such domain", R(HOSTUNKNOWN), 75, S},
	{"unknown domain", R(HOSTUNKNOWN), 70, S},
	{"domain unknown", R(HOSTUNKNOWN), 70, S},
	{"invalid domain", R(HOSTUNKNOWN), 60, 0},
	{"host or domain name not found", R(HOSTUNKNOWN), 80, S},
	{"name service error", R(HOSTUNKNOWN), 65, 0},
	{"nxdomain", R(HOSTUNKNOWN), 80, S},
	{"no mx", R(NOTACCEPT), 60, W},	/* a word: "destino mx.example" is no "no mx" */
	{"mx record", R(HOSTUNKNOWN), 40, 0},
	{"couldn't find any host", R(HOSTUNKNOWN), 80, S},
	{"domain is not reachable", R(HOSTUNKNOWN), 70, 0},
	{"bad destination system address", R(HOSTUNKNOWN), 75, S},
	{"unrouteable", R(HOSTUNKNOWN), 40, 0},
	{"unroutable", R(HOSTUNKNOWN), 40, 0},
	{"domain name not found", R(HOSTUNKNOWN), 80, S},
	{"recipient domain", R(HOSTUNKNOWN), 20, 0},
	{"not a valid domain", R(HOSTUNKNOWN), 60, 0},
	{"no data known", R(HOSTUNKNOWN), 60, 0},
	{"nonexistent domain", R(HOSTUNKNOWN), 80, S},
	{"non-existent domain", R(HOSTUNKNOWN), 80, S},
	{"mx records point to non-existent hosts", R(HOSTUNKNOWN), 80, S},

	/* --- notaccept --- */
	{"does not accept mail", R(NOTACCEPT), 80, S},
	{"does not accept email", R(NOTACCEPT), 80, S},
	{"doesn't accept mail", R(NOTACCEPT), 80, S},
	{"accepts no mail", R(NOTACCEPT), 80, S},
	{"null mx", R(NOTACCEPT), 85, S},
	{"nullmx", R(NOTACCEPT), 85, S},
	{"couldn't find a mail exchanger", R(NOTACCEPT), 70, S},
	{"not accepting network messages", R(NOTACCEPT), 75, 0},
	{"not accepting mail", R(NOTACCEPT), 60, 0},
	{"no smtp service", R(NOTACCEPT), 50, 0},

	/* --- norelaying --- */
	{"relay access denied", R(NORELAYING), 85, S},
	{"relaying denied", R(NORELAYING), 85, S},
	{"relay denied", R(NORELAYING), 85, S},
	{"relay not permitted", R(NORELAYING), 85, S},
	{"relaying not permitted", R(NORELAYING), 85, S},
	{"relay not allowed", R(NORELAYING), 85, S},
	{"relaying not allowed", R(NORELAYING), 85, S},
	{"relaying disallowed", R(NORELAYING), 85, S},
	{"relaying mail to", R(NORELAYING), 60, 0},
	{"insecure mail relay", R(NORELAYING), 70, 0},
	{"not permitted to relay", R(NORELAYING), 85, S},
	{"unable to relay", R(NORELAYING), 85, S},
	{"cannot relay", R(NORELAYING), 85, S},
	{"we do not relay", R(NORELAYING), 85, S},
	{"not configured to relay", R(NORELAYING), 85, S},
	{"no relaying", R(NORELAYING), 85, S},
	{"relay prohibited", R(NORELAYING), 85, S},
	{"open relay", R(NORELAYING), 60, 0},
	{"as a relay", R(NORELAYING), 70, 0},	/* "you are trying to use me as a relay" */
	{"is not a gateway", R(NORELAYING), 60, 0},
	{"not in my list of allowed rcpthosts", R(NORELAYING), 85, S},
	{"isn't in my list of allowed rcpthosts", R(NORELAYING), 85, S},

	/* --- requireptr --- */
	{"reverse dns", R(REQUIREPTR), 80, S},
	{"reverse lookup", R(REQUIREPTR), 75, S},
	{"reverse dns lookup", R(REQUIREPTR), 80, S},
	{"reverse hostname", R(REQUIREPTR), 75, 0},
	{"ptr record", R(REQUIREPTR), 80, S},
	{"ptr resource record", R(REQUIREPTR), 80, S},
	{"no ptr", R(REQUIREPTR), 80, S},
	{"dns ptr", R(REQUIREPTR), 80, S},
	{"rdns", R(REQUIREPTR), 75, W},
	{"ip name lookup failed", R(REQUIREPTR), 80, S},
	{"cannot find your hostname", R(REQUIREPTR), 75, 0},
	{"can't find your hostname", R(REQUIREPTR), 75, 0},
	{"cannot resolve your address", R(REQUIREPTR), 75, 0},
	{"unresolvable address", R(REQUIREPTR), 70, 0},
	{"mismatches client ip", R(REQUIREPTR), 70, 0},
	{"unverifyable sending ip", R(REQUIREPTR), 70, 0},
	{"unverifiable sending ip", R(REQUIREPTR), 70, 0},
	{"hostname does not resolve", R(REQUIREPTR), 70, 0},
	{"no reverse", R(REQUIREPTR), 75, 0},
	{"without a valid sender domain", R(REQUIREPTR), 50, 0},
	{"fcrdns", R(REQUIREPTR), 80, 0},
	{"cannot find your reverse hostname", R(REQUIREPTR), 85, S},

	/* --- authfailure: SPF, DKIM, DMARC --- */
	{"dmarc", R(AUTHFAILURE), 85, S},
	{"spf", R(AUTHFAILURE), 80, S | W},
	{"spf check failed", R(AUTHFAILURE), 85, S},
	{"spf fail", R(AUTHFAILURE), 85, S},
	{"sender policy framework", R(AUTHFAILURE), 85, S},
	{"dkim", R(AUTHFAILURE), 80, S},
	{"domainkeys", R(AUTHFAILURE), 80, S},
	{"unauthenticated email", R(AUTHFAILURE), 85, S},
	{"does not have authentication information", R(AUTHFAILURE), 85, S},
	{"authentication checks failed", R(AUTHFAILURE), 85, S},
	{"not allowed to send from", R(AUTHFAILURE), 70, 0},
	{"not authorized to send", R(AUTHFAILURE), 55, 0},
	{"is not designated", R(AUTHFAILURE), 60, 0},
	{"sender authentication", R(AUTHFAILURE), 60, 0},

	/* --- securityerror / failedstarttls --- */
	{"authentication required", R(SECURITYERROR), 65, 0},
	{"authrequired", R(SECURITYERROR), 70, 0},
	{"authentication is required", R(SECURITYERROR), 65, 0},
	{"must authenticate", R(SECURITYERROR), 65, 0},
	{"unauthenticated senders not allowed", R(SECURITYERROR), 75, 0},
	{"authentication failed", R(SECURITYERROR), 60, 0},
	{"authentication credentials invalid", R(SECURITYERROR), 70, 0},
	{"delivery not authorized", R(SECURITYERROR), 50, 0},
	{"insufficient permission", R(SECURITYERROR), 50, 0},
	{"client not authenticated", R(SECURITYERROR), 70, 0},
	{"notauthorized", R(SECURITYERROR), 60, 0},
	/* Exchange's delivery restriction on a recipient or group (RFC 3463 X.7.1: per-recipient filtering) */
	{"rst notauthorized", R(POLICYVIOLATION), 70, 0},
	{"sendernotauthenticated", R(SECURITYERROR), 70, 0},
	{"sendernotauthenticatedforgroup", R(POLICYVIOLATION), 75, 0},	/* a group for internal senders only */
	{"starttls", R(FAILEDSTARTTLS), 70, 0},
	{"must issue a starttls command first", R(FAILEDSTARTTLS), 85, S},
	{"tls required", R(FAILEDSTARTTLS), 80, S},
	{"tls not available", R(FAILEDSTARTTLS), 80, S},
	{"tls is not available", R(FAILEDSTARTTLS), 80, S},
	{"tls is required", R(FAILEDSTARTTLS), 80, S},
	{"encryption required", R(FAILEDSTARTTLS), 75, S},
	{"tls negotiation failed", R(FAILEDSTARTTLS), 80, S},
	{"tls handshake", R(FAILEDSTARTTLS), 70, 0},
	{"ssl handshake", R(FAILEDSTARTTLS), 70, 0},
	{"certificate", R(SECURITYERROR), 40, 0},

	/* --- policyviolation --- */
	{"policy violation", R(POLICYVIOLATION), 70, 0},
	{"data loss prevention", R(POLICYVIOLATION), 75, 0},	/* a DLP rule: what the message holds */
	{"dlp", R(POLICYVIOLATION), 70, W},
	{"content policy", R(POLICYVIOLATION), 65, 0},
	{"violation of our policy", R(POLICYVIOLATION), 70, 0},
	{"violates our", R(POLICYVIOLATION), 60, 0},
	{"against our policy", R(POLICYVIOLATION), 65, 0},
	{"denied by policy", R(POLICYVIOLATION), 70, 0},
	{"for policy reasons", R(POLICYVIOLATION), 70, 0},
	{"local policy", R(POLICYVIOLATION), 55, 0},
	{"policy reasons", R(POLICYVIOLATION), 60, 0},
	{"not accepted for policy reasons", R(POLICYVIOLATION), 75, S},
	{"protocol violation", R(POLICYVIOLATION), 60, 0},
	{"content presents a potential", R(POLICYVIOLATION), 70, 0},
	{"rejected due to policy", R(POLICYVIOLATION), 65, 0},
	{"administrative prohibition", R(POLICYVIOLATION), 40, 0},
	{"prohibited", R(POLICYVIOLATION), 25, 0},
	{"policy restrictions", R(POLICYVIOLATION), 60, 0},
	{"anti-spoofing", R(POLICYVIOLATION), 70, 0},
	{"security policies", R(POLICYVIOLATION), 55, 0},
	{"not permitted", R(POLICYVIOLATION), 15, 0},

	/* --- rejected: the sender address is refused --- */
	{"sender address rejected", R(REJECTED), 80, 0},
	{"envelope blocked", R(REJECTED), 75, 0},	/* a block entry for the envelope sender (Mimecast) */
	{"sender rejected", R(REJECTED), 75, 0},
	{"sender was rejected", R(REJECTED), 75, 0},
	{"sender denied", R(REJECTED), 70, 0},
	{"sender verify failed", R(REJECTED), 80, 0},
	{"sender verification failed", R(REJECTED), 80, 0},
	{"sender address verification", R(REJECTED), 70, 0},
	{"sender is not allowed", R(REJECTED), 65, 0},
	{"sender not allowed", R(REJECTED), 65, 0},
	{"not a member of", R(REJECTED), 70, 0},	/* a list or group that takes posts from members only */
	{"non member", R(REJECTED), 65, 0},
	{"only members", R(REJECTED), 65, 0},
	{"only subscribers", R(REJECTED), 65, 0},
	{"sender address does not exist", R(REJECTED), 80, 0},
	{"domain of sender address", R(REJECTED), 80, 0},
	{"sender domain", R(REJECTED), 50, 0},
	{"invalid sender", R(REJECTED), 70, 0},
	{"bad sender", R(REJECTED), 65, 0},
	{"unknown sender", R(REJECTED), 70, 0},
	{"return path", R(REJECTED), 35, 0},
	{"mail from", R(REJECTED), 15, 0},
	{"purported responsible address", R(REJECTED), 70, 0},
	{"not a registered gateway user", R(REJECTED), 50, 0},
	{"address that has been blacklisted", R(REJECTED), 75, 0},
	/* a group's refusal of a post: not the sender's address, not a mailbox */
	{"permission to post", R(REJECTED), 70, 0},
	{"not allowed to post", R(REJECTED), 70, 0},
	{"groups google com", R(REJECTED), 45, 0},
	{"rejected", R(REJECTED), 10, W},
	{"access denied", R(REJECTED), 12, 0},
	{"denied", R(REJECTED), 8, W},
	{"refused", R(REJECTED), 8, W},
	{"your domain", R(REJECTED), 12, 0},

	/* --- networkerror --- */
	{"connection timed out", R(NETWORKERROR), 60, 0},
	{"connection timeout", R(NETWORKERROR), 60, 0},
	{"timed out", R(NETWORKERROR), 45, 0},
	{"zeit berschreitung", R(NETWORKERROR), 45, 0},	/* de: Zeitüberschreitung, a time-out */
	{"connection refused", R(NETWORKERROR), 60, 0},
	{"connection reset", R(NETWORKERROR), 60, 0},
	{"lost connection", R(NETWORKERROR), 60, 0},
	{"connection dropped", R(NETWORKERROR), 60, 0},
	{"connection closed", R(NETWORKERROR), 45, 0},
	{"no route to host", R(NETWORKERROR), 65, 0},
	{"network is unreachable", R(NETWORKERROR), 65, 0},
	{"host is unreachable", R(NETWORKERROR), 60, 0},
	{"unable to connect", R(NETWORKERROR), 55, 0},
	{"could not connect", R(NETWORKERROR), 55, 0},
	{"couldn't connect", R(NETWORKERROR), 55, 0},
	{"able to establish an smtp connection", R(NETWORKERROR), 60, 0},
	{"too many hops", R(NETWORKERROR), 75, S},
	{"hop count exceeded", R(NETWORKERROR), 75, S},
	{"routing loop", R(NETWORKERROR), 75, S},
	{"mail loop", R(NETWORKERROR), 75, S},
	{"loops back to myself", R(NETWORKERROR), 75, S},
	{"malformed or unexpected name server reply", R(NETWORKERROR), 75, S},
	{"dns query failed", R(NETWORKERROR), 55, 0},
	{"dns lookup failed", R(NETWORKERROR), 50, 0},
	{"temporary dns", R(NETWORKERROR), 50, 0},
	{"did not accept our requests to connect", R(NETWORKERROR), 60, 0},
	{"remote protocol error", R(NETWORKERROR), 50, 0},
	{"delivery temporarily suspended", R(NETWORKERROR), 40, 0},
	{"network error", R(NETWORKERROR), 55, 0},
	{"broken pipe", R(NETWORKERROR), 55, 0},
	{"message is looping", R(NETWORKERROR), 75, S},
	{"greeting failed", R(NETWORKERROR), 50, 0},
	{"host lookup did not complete", R(NETWORKERROR), 60, 0},

	/* --- expired --- */
	{"retry timeout exceeded", R(EXPIRED), 60, 0},
	{"retry time not reached", R(EXPIRED), 55, 0},
	{"message expired", R(EXPIRED), 65, 0},
	{"queue.expired", R(EXPIRED), 70, 0},
	{"delivery time expired", R(EXPIRED), 70, 0},
	{"delivery expired", R(EXPIRED), 65, 0},
	{"could not be delivered within", R(EXPIRED), 65, 0},
	{"not delivered within", R(EXPIRED), 65, 0},
	{"was aborted after", R(EXPIRED), 60, 0},
	{"unable to deliver in", R(EXPIRED), 60, 0},
	{"too long in queue", R(EXPIRED), 65, 0},
	{"in the queue too long", R(EXPIRED), 65, 0},
	{"retry period expired", R(EXPIRED), 70, 0},
	{"maximum delivery time", R(EXPIRED), 60, 0},
	{"has been delayed", R(EXPIRED), 30, 0},
	{"expired after", R(EXPIRED), 55, 0},
	{"have been failing for a long time", R(EXPIRED), 65, 0},
	{"cannot send message for", R(EXPIRED), 65, 0},
	{"envelope expired", R(EXPIRED), 65, 0},
	/*
	 * "after multiple retries, giving up", "Giving up.": broad, so low; below
	 * any cause, since qmail writes "Giving up on <host>" after a permanent
	 * refusal too
	 */
	{"giving up", R(EXPIRED), 35, W},
	{"could not deliver for the last", R(EXPIRED), 65, 0},
	{"will be retried for", R(EXPIRED), 45, 0},

	/* --- systemerror / mailererror --- */
	{"internal system error", R(SYSTEMERROR), 65, 0},
	{"system error", R(SYSTEMERROR), 55, 0},
	{"internal error", R(SYSTEMERROR), 55, 0},
	{"server error", R(SYSTEMERROR), 45, 0},
	{"local error", R(SYSTEMERROR), 55, 0},
	{"system config error", R(SYSTEMERROR), 65, 0},
	{"configuration error", R(SYSTEMERROR), 55, 0},
	{"queue file write error", R(SYSTEMERROR), 70, 0},
	{"operating system error", R(SYSTEMERROR), 65, 0},
	{"service currently unavailable", R(SYSTEMERROR), 35, 0},
	{"service unavailable", R(SYSTEMERROR), 25, 0},
	{"service not available", R(SYSTEMERROR), 25, 0},
	{"temporarily unavailable", R(SYSTEMERROR), 25, 0},
	{"transaction failed", R(SYSTEMERROR), 30, 0},
	{"unable to contact ldap server", R(SYSTEMERROR), 70, 0},
	{"could not load drd", R(SYSTEMERROR), 70, 0},
	{"database error", R(SYSTEMERROR), 60, 0},
	{"i/o error", R(SYSTEMERROR), 60, 0},
	{"local problem", R(SYSTEMERROR), 45, 0},
	{"mail system problem", R(SYSTEMERROR), 45, 0},
	{"storedrv", R(SYSTEMERROR), 20, 0},
	{"mailer error", R(MAILERERROR), 70, 0},
	{"procmail", R(MAILERERROR), 60, 0},
	{"command died", R(MAILERERROR), 70, 0},
	{"command failed", R(MAILERERROR), 50, 0},
	{"local delivery failed", R(MAILERERROR), 50, 0},
	{"x-unix", R(MAILERERROR), 40, 0},

	/* --- syntaxerror --- */
	{"syntax error", R(SYNTAXERROR), 65, 0},
	{"command not recognized", R(SYNTAXERROR), 65, 0},
	{"command unrecognized", R(SYNTAXERROR), 65, 0},
	{"unrecognized command", R(SYNTAXERROR), 65, 0},
	{"command not implemented", R(SYNTAXERROR), 65, 0},
	{"command parameter not implemented", R(SYNTAXERROR), 70, 0},
	{"parameter not implemented", R(SYNTAXERROR), 65, 0},
	{"improper sequence of commands", R(SYNTAXERROR), 70, 0},
	{"bad sequence of commands", R(SYNTAXERROR), 70, 0},
	{"invalid command", R(SYNTAXERROR), 60, 0},
	{"bad address syntax", R(SYNTAXERROR), 50, 0},
	{"address syntax", R(SYNTAXERROR), 45, 0},
	{"improper use of smtp command pipelining", R(SYNTAXERROR), 70, 0},

	/* --- contenterror / notcompliantrfc --- */
	{"media error", R(CONTENTERROR), 70, 0},
	{"blocked file type", R(CONTENTERROR), 80, S},	/* an attachment's type, not the sender */
	{"file type is not allowed", R(CONTENTERROR), 80, S},
	{"attachment policy", R(CONTENTERROR), 75, 0},	/* an attachment's type or size rule */
	{"password protected", R(CONTENTERROR), 70, 0},	/* an archive no filter can open */
	{"encrypted attachment", R(CONTENTERROR), 70, 0},
	{"banned attachment", R(CONTENTERROR), 75, 0},
	/*
	 * "banned" alone is amavisd-new's verdict on a banned file name or type
	 * ("554 5.7.0 Reject, id=... - BANNED: invoice.exe", "BANNED CONTENTS
	 * ALERT"); a banned host or IP is named as one above
	 */
	{"banned", R(CONTENTERROR), 45, W},
	{"header error", R(CONTENTERROR), 60, 0},
	{"improper use of 8-bit data", R(CONTENTERROR), 75, 0},
	{"8-bit data", R(CONTENTERROR), 60, 0},
	{"data format error", R(CONTENTERROR), 65, 0},
	{"invalid mime", R(CONTENTERROR), 65, 0},
	{"mime error", R(CONTENTERROR), 65, 0},
	{"message content rejected", R(CONTENTERROR), 45, 0},
	{"content rejected", R(CONTENTERROR), 40, 0},
	{"illegal characters", R(CONTENTERROR), 55, 0},
	{"invalid characters", R(CONTENTERROR), 50, 0},
	{"malformed message", R(CONTENTERROR), 60, 0},
	{"malformed address", R(SYNTAXERROR), 60, 0},
	{"barelinefeeds", R(CONTENTERROR), 70, 0},
	{"bare linefeed", R(CONTENTERROR), 70, 0},
	{"not rfc 5322 compliant", R(NOTCOMPLIANTRFC), 85, S},
	{"rfc 5322", R(NOTCOMPLIANTRFC), 70, 0},
	{"rfc5322", R(NOTCOMPLIANTRFC), 70, 0},
	{"rfc 2822", R(NOTCOMPLIANTRFC), 65, 0},
	{"rfc2822", R(NOTCOMPLIANTRFC), 65, 0},
	{"rfc 822", R(NOTCOMPLIANTRFC), 60, 0},
	{"not rfc compliant", R(NOTCOMPLIANTRFC), 80, S},
	{"multiple addresses in from", R(NOTCOMPLIANTRFC), 80, S},
	{"duplicate header", R(NOTCOMPLIANTRFC), 70, 0},
	{"missing required header", R(NOTCOMPLIANTRFC), 70, 0},
	{"message-id header", R(NOTCOMPLIANTRFC), 50, 0},
	{"missing date header", R(NOTCOMPLIANTRFC), 70, 0},

	/* --- filtered / onhold --- */
	{"message filtered", R(FILTERED), 70, 0},
	{"rejected by filter", R(FILTERED), 70, 0},
	{"sieve filter", R(FILTERED), 75, S},	/* the recipient's own rules refused it (RFC 5429 reject) */
	{"recipient s filter", R(FILTERED), 75, S},	/* "rejected by recipient's filter" */
	{"content filter", R(FILTERED), 50, 0},
	{"filtered", R(FILTERED), 40, W},
	{"on hold", R(ONHOLD), 60, 0},
	{"held for review", R(ONHOLD), 70, 0},
	{"held for administrator review", R(ONHOLD), 75, 0},
	{"until an administrator reviews", R(ONHOLD), 75, 0},

	/*
	 * --- other languages: the phrases that decide (user unknown, mailbox
	 * full, blocked, message too large), in German, French, Spanish,
	 * Portuguese, Italian, Polish and Dutch notices.  Letters outside
	 * ASCII are separators to the matcher (in any charset), so they are
	 * written as a space: "empf nger" matches "Empfänger" in UTF-8 and
	 * in Latin-1 alike.  Delay wording is among the sign phrases.
	 */
	{"empf nger unbekannt", R(USERUNKNOWN), 70, S},	/* de */
	{"unbekannter empf nger", R(USERUNKNOWN), 70, S},
	{"adresse unbekannt", R(USERUNKNOWN), 65, S},
	{"mailbox existiert nicht", R(USERUNKNOWN), 70, S},
	{"postfach existiert nicht", R(USERUNKNOWN), 70, S},
	{"benutzer existiert nicht", R(USERUNKNOWN), 70, S},
	{"kein solcher benutzer", R(USERUNKNOWN), 70, S},
	{"destinataire inconnu", R(USERUNKNOWN), 70, S},	/* fr */
	{"adresse inconnue", R(USERUNKNOWN), 65, S},
	{"utilisateur inexistant", R(USERUNKNOWN), 70, S},
	{"adresse inexistante", R(USERUNKNOWN), 70, S},
	{"cette adresse n existe pas", R(USERUNKNOWN), 70, S},
	{"usuario desconocido", R(USERUNKNOWN), 70, S},	/* es */
	{"destinatario desconocido", R(USERUNKNOWN), 70, S},
	{"el usuario no existe", R(USERUNKNOWN), 70, S},
	{"cuenta de correo no existe", R(USERUNKNOWN), 70, S},	/* es: la cuenta (de correo) no existe */
	{"la cuenta no existe", R(USERUNKNOWN), 70, S},
	{"la direcci n no existe", R(USERUNKNOWN), 70, S},
	{"usu rio desconhecido", R(USERUNKNOWN), 70, S},	/* pt */
	{"destinat rio desconhecido", R(USERUNKNOWN), 70, S},
	{"usu rio inexistente", R(USERUNKNOWN), 70, S},
	{"endere o inexistente", R(USERUNKNOWN), 70, S},
	{"utente sconosciuto", R(USERUNKNOWN), 70, S},	/* it */
	{"destinatario sconosciuto", R(USERUNKNOWN), 70, S},
	{"utente inesistente", R(USERUNKNOWN), 70, S},
	{"indirizzo inesistente", R(USERUNKNOWN), 70, S},
	{"nieznany u ytkownik", R(USERUNKNOWN), 70, S},	/* pl: nieznany użytkownik */
	{"u ytkownik nie istnieje", R(USERUNKNOWN), 70, S},
	{"adres nie istnieje", R(USERUNKNOWN), 70, S},
	{"konto nie istnieje", R(USERUNKNOWN), 70, S},
	{"onbekende gebruiker", R(USERUNKNOWN), 70, S},	/* nl */
	{"gebruiker onbekend", R(USERUNKNOWN), 70, S},
	{"adresa de e mail nu exist", R(USERUNKNOWN), 65, S},	/* ro: adresa de e-mail nu există */
	{"utilizatorul nu exist", R(USERUNKNOWN), 70, S},
	{"dominio no existe", R(HOSTUNKNOWN), 65, 0},	/* es: el dominio no existe */
	{"dominio non existe", R(HOSTUNKNOWN), 65, 0},	/* gl */
	{"dominio non esiste", R(HOSTUNKNOWN), 65, 0},	/* it */
	{"dom nio n o existe", R(HOSTUNKNOWN), 65, 0},	/* pt: o domínio não existe */
	{"domaine n existe pas", R(HOSTUNKNOWN), 65, 0},	/* fr */
	{"postfach ist voll", R(MAILBOXFULL), 75, S},	/* de */
	{"mailbox voll", R(MAILBOXFULL), 75, S},
	{"speicherplatz ersch pft", R(MAILBOXFULL), 70, S},
	{"quota berschritten", R(MAILBOXFULL), 70, S},
	{"bo te pleine", R(MAILBOXFULL), 75, S},	/* fr: boîte pleine */
	{"bo te aux lettres pleine", R(MAILBOXFULL), 75, S},
	{"destinataire est pleine", R(MAILBOXFULL), 75, S},	/* la boîte aux lettres du destinataire est pleine */
	{"quota d pass", R(MAILBOXFULL), 70, S},
	{"d pass son quota", R(MAILBOXFULL), 70, S},	/* a dépassé son quota, dépassé leur quota */
	{"d pass leur quota", R(MAILBOXFULL), 70, S},
	{"buz n lleno", R(MAILBOXFULL), 75, S},	/* es: buzón lleno */
	{"buzon lleno", R(MAILBOXFULL), 75, S},
	{"cuota excedida", R(MAILBOXFULL), 70, S},
	{"caixa postal cheia", R(MAILBOXFULL), 75, S},	/* pt */
	{"caixa de correio cheia", R(MAILBOXFULL), 75, S},
	{"cota excedida", R(MAILBOXFULL), 70, S},
	{"casella piena", R(MAILBOXFULL), 75, S},	/* it */
	{"casella di posta piena", R(MAILBOXFULL), 75, S},
	{"quota superata", R(MAILBOXFULL), 70, S},
	{"skrzynka jest pe na", R(MAILBOXFULL), 75, S},	/* pl: skrzynka jest pełna */
	{"skrzynka pe na", R(MAILBOXFULL), 75, S},
	{"przekroczony limit", R(MAILBOXFULL), 60, 0},
	{"mailbox vol", R(MAILBOXFULL), 75, W},	/* nl */
	{"nachricht zu gro", R(MESGTOOBIG), 70, S},	/* de: zu groß */
	{"nachricht ist zu gro", R(MESGTOOBIG), 70, S},
	{"message trop volumineux", R(MESGTOOBIG), 70, S},	/* fr */
	{"message trop gros", R(MESGTOOBIG), 70, S},
	{"mensaje demasiado grande", R(MESGTOOBIG), 70, S},	/* es */
	{"mensagem muito grande", R(MESGTOOBIG), 70, S},	/* pt */
	{"messaggio troppo grande", R(MESGTOOBIG), 70, S},	/* it */
	{"wiadomo jest za du a", R(MESGTOOBIG), 70, S},	/* pl: wiadomość jest za duża */
	{"bericht te groot", R(MESGTOOBIG), 70, S},	/* nl */
	{"als spam eingestuft", R(SPAMDETECTED), 70, S},	/* de */
	{"consid r comme spam", R(SPAMDETECTED), 70, S},	/* fr: considéré comme spam */
	{"considerado como spam", R(SPAMDETECTED), 70, S},	/* es, pt */
	{"considerato spam", R(SPAMDETECTED), 70, S},	/* it */
	{"ip blockiert", R(BLOCKED), 70, S},	/* de */
	{"ip gesperrt", R(BLOCKED), 70, S},
	{"adresse ip bloqu", R(BLOCKED), 70, S},	/* fr: adresse IP bloquée */
	{"ip bloqueada", R(BLOCKED), 70, S},	/* es, pt */
	{"ip bloccato", R(BLOCKED), 70, S},	/* it */
	{"ip zablokowany", R(BLOCKED), 70, S},	/* pl */

	/*
	 * --- Japanese, written in UTF-8 and matched in whatever charset the
	 * notice uses (ISO-2022-JP, Shift_JIS, EUC-JP, UTF-8): see japanese.h.
	 * There are no spaces between Japanese words, so these match inside
	 * longer runs of text.
	 */
	{"宛先不明", R(USERUNKNOWN), 70, S | J},	/* destination unknown */
	{"ユーザー不明", R(USERUNKNOWN), 70, S | J},	/* user unknown */
	{"ユーザ不明", R(USERUNKNOWN), 70, S | J},
	{"不明なユーザ", R(USERUNKNOWN), 70, S | J},
	{"不明な宛先", R(USERUNKNOWN), 70, S | J},
	{"存在しないユーザ", R(USERUNKNOWN), 70, S | J},	/* a user that does not exist */
	{"存在しないアドレス", R(USERUNKNOWN), 70, S | J},
	{"存在しないメールアドレス", R(USERUNKNOWN), 70, S | J},
	{"ユーザが存在しません", R(USERUNKNOWN), 70, S | J},	/* the user does not exist */
	{"ユーザーが存在しません", R(USERUNKNOWN), 70, S | J},
	{"アドレスが存在しません", R(USERUNKNOWN), 70, S | J},
	{"アドレスは存在しません", R(USERUNKNOWN), 70, S | J},
	{"アカウントが存在しません", R(USERUNKNOWN), 70, S | J},
	{"宛先が存在しません", R(USERUNKNOWN), 70, S | J},
	{"ユーザが見つかりません", R(USERUNKNOWN), 70, S | J},	/* the user is not found */
	{"ユーザーが見つかりません", R(USERUNKNOWN), 70, S | J},
	{"宛先が見つかりません", R(USERUNKNOWN), 70, S | J},
	{"受信者が見つかりません", R(USERUNKNOWN), 70, S | J},
	{"ディレクトリのリストにありません", R(USERUNKNOWN), 70, S | J},	/* Notes: not in the directory */
	{"ディレクトリに登録されていません", R(USERUNKNOWN), 70, S | J},	/* not registered in the directory */
	{"ドメインが存在しません", R(HOSTUNKNOWN), 70, S | J},	/* the domain does not exist */
	{"存在しないドメイン", R(HOSTUNKNOWN), 70, S | J},
	{"ドメインが見つかりません", R(HOSTUNKNOWN), 70, S | J},
	{"ホストが見つかりません", R(HOSTUNKNOWN), 70, S | J},
	{"ドメイン不明", R(HOSTUNKNOWN), 70, S | J},
	{"ホスト不明", R(HOSTUNKNOWN), 70, S | J},
	{"容量超過", R(MAILBOXFULL), 75, S | J},	/* over capacity */
	{"容量を超え", R(MAILBOXFULL), 75, S | J},
	{"容量オーバー", R(MAILBOXFULL), 75, S | J},
	{"容量がいっぱい", R(MAILBOXFULL), 75, S | J},
	{"容量が一杯", R(MAILBOXFULL), 75, S | J},
	{"メールボックスがいっぱい", R(MAILBOXFULL), 75, S | J},	/* mailbox full */
	{"メールボックスが一杯", R(MAILBOXFULL), 75, S | J},
	{"サイズが大きすぎ", R(MESGTOOBIG), 80, S | J},	/* the size is too large */
	{"サイズ制限を超え", R(MESGTOOBIG), 80, S | J},	/* exceeds the size limit */
	{"サイズの上限を超え", R(MESGTOOBIG), 80, S | J},
	{"大きすぎ", R(MESGTOOBIG), 60, J},
	{"迷惑メールと判定", R(SPAMDETECTED), 70, S | J},	/* judged to be spam */
	{"スパムと判定", R(SPAMDETECTED), 70, S | J},
	{"ウイルスが検出", R(VIRUSDETECTED), 70, S | J},	/* a virus was found */
	{"ウィルスが検出", R(VIRUSDETECTED), 70, S | J},
	{"受信拒否", R(FILTERED), 60, J},	/* the recipient refuses it (its filter settings) */
	{"受信拒否設定", R(FILTERED), 70, S | J},	/* the recipient's refusal setting */
	{"拒否されました", R(REJECTED), 40, J},	/* was refused */
	{"利用停止", R(SUSPEND), 70, S | J},	/* use suspended */
	{"アカウントが停止", R(SUSPEND), 70, S | J},

	/* --- vacation: auto-replies --- */
	{"out of office", R(VACATION), 85, 0},
	{"out of the office", R(VACATION), 85, 0},
	{"auto-reply", R(VACATION), 80, 0},
	{"autoreply", R(VACATION), 80, 0},
	{"automatic reply", R(VACATION), 80, 0},
	{"auto response", R(VACATION), 80, 0},
	{"autoresponder", R(VACATION), 80, 0},
	{"on vacation", R(VACATION), 85, 0},
	{"away from the office", R(VACATION), 80, 0},
	{"away from my desk", R(VACATION), 70, 0},
	{"abwesenheitsnotiz", R(VACATION), 85, 0},
	{"自動返信", R(VACATION), 80, J},	/* ja: automatic reply */
	{"自動応答", R(VACATION), 80, J},
	{"不在にして", R(VACATION), 80, J},	/* ja: I am away */	/*
	 * --- scripts other than Latin and Japanese, in UTF-8 and matched in
	 * whatever charset the text is (scripts.h): Cyrillic (Russian,
	 * Ukrainian, Bulgarian, Serbian), Greek, Hebrew, Arabic and Persian,
	 * Thai, Hindi, Chinese, Korean.  Spaces do not count.
	 */
	{"пользователь не найден", R(USERUNKNOWN), 70, S | U},	/* ru: user not found */
	{"нет такого пользователя", R(USERUNKNOWN), 70, S | U},
	{"неизвестный пользователь", R(USERUNKNOWN), 70, S | U},
	{"пользователь не существует", R(USERUNKNOWN), 70, S | U},
	{"адрес не существует", R(USERUNKNOWN), 65, U},
	{"получатель не найден", R(USERUNKNOWN), 65, U},
	{"адресат не найден", R(USERUNKNOWN), 65, U},
	{"ящик не существует", R(USERUNKNOWN), 70, S | U},
	{"ящик переполнен", R(MAILBOXFULL), 70, S | U},	/* ru: mailbox full */
	{"ящик заполнен", R(MAILBOXFULL), 70, S | U},
	{"превышена квота", R(MAILBOXFULL), 65, U},
	{"недостаточно места", R(MAILBOXFULL), 55, U},
	{"домен не найден", R(HOSTUNKNOWN), 65, U},
	{"домен не существует", R(HOSTUNKNOWN), 65, U},
	{"спам", R(SPAMDETECTED), 50, U},
	{"вирус", R(VIRUSDETECTED), 60, U},
	{"превышает максимальный размер", R(MESGTOOBIG), 70, U},
	{"слишком большой размер", R(MESGTOOBIG), 65, U},
	{"ящик заблокирован", R(SUSPEND), 65, U},
	{"ящик отключен", R(SUSPEND), 65, U},
	{"автоответ", R(VACATION), 80, U},
	{"автоматический ответ", R(VACATION), 80, U},
	{"в отпуске", R(VACATION), 70, U},
	{"користувача не знайдено", R(USERUNKNOWN), 70, S | U},	/* uk */
	{"невідомий користувач", R(USERUNKNOWN), 70, S | U},
	{"користувач не існує", R(USERUNKNOWN), 70, S | U},
	{"адреса не існує", R(USERUNKNOWN), 65, U},
	{"скриньки не існує", R(USERUNKNOWN), 70, S | U},
	{"скриньку переповнено", R(MAILBOXFULL), 70, S | U},
	{"скринька переповнена", R(MAILBOXFULL), 70, S | U},
	{"перевищено квоту", R(MAILBOXFULL), 65, U},
	{"домен не знайдено", R(HOSTUNKNOWN), 65, U},
	{"домен не існує", R(HOSTUNKNOWN), 65, U},
	{"автовідповідь", R(VACATION), 80, U},
	{"у відпустці", R(VACATION), 70, U},
	{"потребителят не съществува", R(USERUNKNOWN), 70, S | U},	/* bg */
	{"няма такъв потребител", R(USERUNKNOWN), 70, S | U},
	{"неизвестен потребител", R(USERUNKNOWN), 70, S | U},
	{"адресът не съществува", R(USERUNKNOWN), 65, U},
	{"кутията е пълна", R(MAILBOXFULL), 70, S | U},
	{"автоматичен отговор", R(VACATION), 80, U},
	{"корисник не постоји", R(USERUNKNOWN), 70, S | U},	/* sr */
	{"непознат корисник", R(USERUNKNOWN), 70, S | U},
	{"адреса не постоји", R(USERUNKNOWN), 65, U},
	{"сандуче је пуно", R(MAILBOXFULL), 70, S | U},
	{"ο χρήστης δεν υπάρχει", R(USERUNKNOWN), 70, S | U},	/* el */
	{"άγνωστος χρήστης", R(USERUNKNOWN), 70, S | U},
	{"η διεύθυνση δεν υπάρχει", R(USERUNKNOWN), 65, U},
	{"ο παραλήπτης δεν υπάρχει", R(USERUNKNOWN), 70, S | U},
	{"γραμματοκιβώτιο είναι γεμάτο", R(MAILBOXFULL), 70, S | U},
	{"γραμματοκιβώτιο είναι πλήρες", R(MAILBOXFULL), 70, S | U},
	{"ο τομέας δεν υπάρχει", R(HOSTUNKNOWN), 65, U},
	{"αυτόματη απάντηση", R(VACATION), 80, U},
	{"εκτός γραφείου", R(VACATION), 75, U},
	{"המשתמש אינו קיים", R(USERUNKNOWN), 70, S | U},	/* he: the user does not exist */
	{"משתמש לא קיים", R(USERUNKNOWN), 70, S | U},
	{"משתמש לא ידוע", R(USERUNKNOWN), 70, S | U},
	{"הכתובת אינה קיימת", R(USERUNKNOWN), 65, U},
	{"כתובת לא קיימת", R(USERUNKNOWN), 65, U},
	{"הנמען אינו קיים", R(USERUNKNOWN), 70, S | U},
	{"תיבת הדואר מלאה", R(MAILBOXFULL), 70, S | U},
	{"הדומיין אינו קיים", R(HOSTUNKNOWN), 65, U},
	{"הדומיין לא קיים", R(HOSTUNKNOWN), 65, U},
	{"מענה אוטומטי", R(VACATION), 80, U},
	{"תשובה אוטומטית", R(VACATION), 80, U},
	{"מחוץ למשרד", R(VACATION), 75, U},
	{"المستخدم غير موجود", R(USERUNKNOWN), 70, S | U},	/* ar: the user does not exist */
	{"مستخدم غير معروف", R(USERUNKNOWN), 70, S | U},
	{"العنوان غير موجود", R(USERUNKNOWN), 65, U},
	{"المستلم غير موجود", R(USERUNKNOWN), 70, S | U},
	{"صندوق البريد ممتلئ", R(MAILBOXFULL), 70, S | U},
	{"النطاق غير موجود", R(HOSTUNKNOWN), 65, U},
	{"بريد مزعج", R(SPAMDETECTED), 60, U},
	{"رد تلقائي", R(VACATION), 80, U},
	{"رد آلي", R(VACATION), 80, U},
	{"خارج المكتب", R(VACATION), 75, U},
	{"کاربر وجود ندارد", R(USERUNKNOWN), 70, S | U},	/* fa */
	{"کاربر یافت نشد", R(USERUNKNOWN), 70, S | U},
	{"صندوق پستی پر است", R(MAILBOXFULL), 70, S | U},
	{"پاسخ خودکار", R(VACATION), 80, U},
	{"ไม่พบผู้ใช้", R(USERUNKNOWN), 70, S | U},	/* th: user not found */
	{"ไม่มีผู้ใช้", R(USERUNKNOWN), 70, S | U},
	{"ไม่พบผู้รับ", R(USERUNKNOWN), 65, U},
	{"กล่องจดหมายเต็ม", R(MAILBOXFULL), 70, S | U},
	{"กล่องจดหมายของผู้รับเต็ม", R(MAILBOXFULL), 70, S | U},
	{"ตอบกลับอัตโนมัติ", R(VACATION), 80, U},
	{"उपयोगकर्ता मौजूद नहीं", R(USERUNKNOWN), 70, S | U},	/* hi */
	{"उपयोगकर्ता नहीं मिला", R(USERUNKNOWN), 70, S | U},
	{"मेलबॉक्स भरा", R(MAILBOXFULL), 70, S | U},
	{"स्वचालित उत्तर", R(VACATION), 80, U},
	{"用户不存在", R(USERUNKNOWN), 70, S | U},	/* zh: user does not exist */
	{"收件人不存在", R(USERUNKNOWN), 70, S | U},
	{"地址不存在", R(USERUNKNOWN), 65, U},
	{"邮箱不存在", R(USERUNKNOWN), 70, S | U},
	{"账户不存在", R(USERUNKNOWN), 70, S | U},
	{"帐户不存在", R(USERUNKNOWN), 70, S | U},
	{"无此用户", R(USERUNKNOWN), 70, S | U},
	{"使用者不存在", R(USERUNKNOWN), 70, S | U},
	{"用戶不存在", R(USERUNKNOWN), 70, S | U},
	{"收件者不存在", R(USERUNKNOWN), 70, S | U},
	{"帳號不存在", R(USERUNKNOWN), 70, S | U},
	{"信箱不存在", R(USERUNKNOWN), 70, S | U},
	{"郵箱不存在", R(USERUNKNOWN), 70, S | U},
	{"邮箱已满", R(MAILBOXFULL), 70, S | U},	/* mailbox full */
	{"邮箱空间不足", R(MAILBOXFULL), 70, S | U},
	{"超出配额", R(MAILBOXFULL), 65, U},
	{"信箱已滿", R(MAILBOXFULL), 70, S | U},
	{"郵箱已滿", R(MAILBOXFULL), 70, S | U},
	{"信箱空間不足", R(MAILBOXFULL), 70, S | U},
	{"超過配額", R(MAILBOXFULL), 65, U},
	{"域名不存在", R(HOSTUNKNOWN), 65, U},
	{"網域不存在", R(HOSTUNKNOWN), 65, U},
	{"垃圾邮件", R(SPAMDETECTED), 60, U},
	{"垃圾郵件", R(SPAMDETECTED), 60, U},
	{"病毒", R(VIRUSDETECTED), 60, U},
	{"邮件过大", R(MESGTOOBIG), 65, U},
	{"郵件過大", R(MESGTOOBIG), 65, U},
	{"自动回复", R(VACATION), 80, U},
	{"自動回覆", R(VACATION), 80, U},
	{"존재하지 않는 사용자", R(USERUNKNOWN), 70, S | U},	/* ko: user that does not exist */
	{"사용자가 존재하지 않", R(USERUNKNOWN), 70, S | U},
	{"존재하지 않는 계정", R(USERUNKNOWN), 70, S | U},
	{"알 수 없는 사용자", R(USERUNKNOWN), 70, S | U},
	{"메일함이 가득", R(MAILBOXFULL), 70, S | U},
	{"받은편지함이 가득", R(MAILBOXFULL), 70, S | U},
	{"용량이 초과", R(MAILBOXFULL), 65, U},
	{"용량 초과", R(MAILBOXFULL), 65, U},
	{"존재하지 않는 도메인", R(HOSTUNKNOWN), 65, U},
	{"스팸", R(SPAMDETECTED), 55, U},
	{"자동 응답", R(VACATION), 80, U},
	{"부재중", R(VACATION), 75, U},
};

#define NUM_PHRASES ((int) (sizeof(phrases) / sizeof(phrases[0])))

/*
 * Sign phrases: what a notice's prose says about the message (see
 * phrases.h).  They join the same automaton; a match ORs its signs into
 * the scan's result and never competes with the reasons.
 */
#define G(x) BOUNCE_SIGN_##x
static const bounce_sign_phrase sign_phrases[] = {
	/* a delay warning: the MTA is still trying */
	{"not yet been delivered", G(DELAY), 0},
	{"has not been delivered yet", G(DELAY), 0},
	{"not been delivered yet", G(DELAY), 0},
	{"not delivered yet", G(DELAY), 0},
	{"has been delayed", G(DELAY), 0},
	{"delivery is delayed", G(DELAY), 0},
	{"delivery has been delayed", G(DELAY), 0},
	{"delivery delayed", G(DELAY), 0},
	{"delivery to the following recipients has been delayed", G(DELAY), 0},
	{"warning message only", G(DELAY), 0},
	{"this is a warning only", G(DELAY), 0},
	{"do not need to resend", G(DELAY), 0},
	{"no action is required on your part", G(DELAY), 0},
	{"will keep trying", G(DELAY), 0},
	{"will continue to try", G(DELAY), 0},
	{"will continue trying", G(DELAY), 0},
	{"will continue to attempt", G(DELAY), 0},
	{"delivery attempts will continue", G(DELAY), 0},
	{"will retry", G(DELAY) | G(TEMPORARY), 0},
	{"will be retried", G(DELAY) | G(TEMPORARY), 0},
	{"still trying", G(DELAY), 0},
	{"still being retried", G(DELAY), 0},
	{"will try again", G(DELAY), 0},
	{"will attempt redelivery", G(DELAY), 0},
	{"retry for", G(DELAY), W},
	{"noch nicht zugestellt", G(DELAY), 0},	/* de */
	{"weiterhin versucht", G(DELAY), 0},
	{"nur um eine warnung", G(DELAY), 0},	/* "es handelt sich nur um eine Warnung" */
	{"nur eine warnung", G(DELAY), 0},
	{"nicht erneut versenden", G(DELAY), 0},	/* "you need not resend it" */
	{"nicht erneut senden", G(DELAY), 0},
	{"pas encore t remis", G(DELAY), 0},	/* fr: pas encore été remis */
	{"pas encore t distribu", G(DELAY), 0},
	{"pas encore pu tre remis", G(DELAY), 0},	/* n'a pas encore pu être remis */
	{"simple avertissement", G(DELAY), 0},
	{"pas besoin de le renvoyer", G(DELAY), 0},
	{"remise diff r e", G(DELAY) | G(BOUNCE), 0},	/* a Subject: remise différée */
	{"a n no ha sido entregado", G(DELAY), 0},	/* es: aún no ha sido entregado */
	{"todav a no ha sido entregado", G(DELAY), 0},
	{"ainda n o foi entregue", G(DELAY), 0},	/* pt: ainda não foi entregue */
	{"apenas um aviso", G(DELAY), 0},	/* "isto é apenas um aviso" */
	{"n o precisa de voltar a enviar", G(DELAY), 0},	/* pt: no need to send it again */
	{"nnu inte levererats", G(DELAY), 0},	/* sv: har ännu inte levererats */
	{"endast en varning", G(DELAY), 0},	/* sv: only a warning */
	{"beh ver inte skicka om", G(DELAY), 0},	/* sv: du behöver inte skicka om */
	{"non ancora stato consegnato", G(DELAY), 0},	/* it */
	{"non stato ancora consegnato", G(DELAY), 0},
	{"jeszcze nie zosta a dostarczona", G(DELAY), 0},	/* pl: jeszcze nie została dostarczona */
	{"nog niet afgeleverd", G(DELAY), 0},	/* nl */
	{"steeds niet afgeleverd", G(DELAY), 0},	/* nl: nog steeds niet afgeleverd */
	{"nog niet bezorgd", G(DELAY), 0},
	{"slechts een waarschuwing", G(DELAY), 0},
	{"alleen een waarschuwing", G(DELAY), 0},
	{"niet opnieuw te versturen", G(DELAY), 0},	/* "u hoeft het niet opnieuw te versturen" */
	{"niet opnieuw te verzenden", G(DELAY), 0},
	{"vertraagd", G(DELAY), W},	/* a Subject: bericht vertraagd */
	{"todav a no ha", G(DELAY), 0},	/* es: todavía no ha sido entregado / podido entregarse */
	{"a n no ha", G(DELAY), 0},	/* es: aún no ha ... */
	{"seguir intent", G(DELAY), 0},	/* es: seguirá intentando / intentándolo */
	{"continuar intentando", G(DELAY), 0},	/* es: continuará intentando */
	{"solo un aviso", G(DELAY), 0},	/* es: esto es solo un aviso */
	{"s lo un aviso", G(DELAY), 0},
	{"entrega retrasada", G(DELAY), 0},
	{"entrega aplazada", G(DELAY), 0},
	{"encara no s ha", G(DELAY), 0},	/* ca: encara no s'ha pogut lliurar */
	{"nom s un av s", G(DELAY), 0},	/* ca: només un avís */
	{"continuar intentant", G(DELAY), 0},	/* ca: continuarà intentant-ho */
	{"ainult hoiatus", G(DELAY), 0},	/* et: only a warning */
	{"viibib", G(DELAY), W},	/* et: (delivery) is delayed */
	{"pole veel edastatud", G(DELAY), 0},	/* et: (the message) has not yet been delivered */
	{"proovitakse veel", G(DELAY), 0},	/* et: edastamist proovitakse veel, delivery will be tried again */
	{"jo nije isporu", G(DELAY), 0},	/* hr, sr, bs: još nije isporučena, not yet delivered */
	{"nastaviti s poku", G(DELAY), 0},	/* hr: nastaviti s pokušajima (isporuke), keep trying */
	{"nije potrebno ponovno slati", G(DELAY), 0},	/* hr: no need to send it again */
	{"len upozornenie", G(DELAY), 0},	/* sk: only a warning */
	{"zatia nepodarilo", G(DELAY), 0},	/* sk: zatiaľ (sa) nepodarilo: not yet managed */
	{"pouze upozorn n", G(DELAY), 0},	/* cs: pouze upozornění */
	{"zat m se nepoda ilo", G(DELAY), 0},	/* cs: zatím se nepodařilo */
	{"pas encore pu tre distribu", G(DELAY), 0},	/* fr: n'a pas encore pu être distribué */
	{"n est qu un avertissement", G(DELAY), 0},	/* fr: ceci n'est qu'un avertissement */
	{"un nouvel essai sera effectu", G(DELAY), 0},
	{"pas n cessaire de renvoyer", G(DELAY), 0},	/* fr: il n'est pas nécessaire de renvoyer */
	{"enn ikke levert", G(DELAY), 0},	/* nb: ennå ikke levert */
	{"fortsette pr ve", G(DELAY), 0},	/* nb: vil fortsette å prøve */
	{"endnu ikke leveret", G(DELAY), 0},	/* da */
	{"forsinket", G(DELAY), W},	/* nb, da: delayed (a Subject) */
	{"belum berhasil dikirim", G(DELAY), 0},	/* id: not yet sent */
	{"akan terus mencoba", G(DELAY), 0},	/* id: will keep trying */
	{"tidak perlu mengirim ulang", G(DELAY), 0},	/* id: no need to resend */
	{"masih berada dalam antrean", G(DELAY), 0},	/* id: still in the queue */
	{"belum dihantar", G(DELAY), 0},	/* ms: not yet delivered */
	{"akan terus mencuba", G(DELAY), 0},	/* ms: will keep trying */
	/*
	 * ... and words that say it failed for good after all: statements of
	 * what happened, not "non-fatal errors" or "you will be notified if it
	 * fails permanently", which delay warnings write
	 */
	{"permanent error", G(FINAL) | G(PERMANENT), 0},
	{"permanent failure", G(FINAL) | G(PERMANENT), 0},
	{"permanent fatal error", G(FINAL) | G(PERMANENT), 0},
	{"failed permanently", G(FINAL) | G(PERMANENT), 0},
	{"permanently failed", G(FINAL) | G(PERMANENT), 0},
	{"giving up", G(FINAL), 0},
	{"gave up", G(FINAL), 0},
	{"given up", G(FINAL), 0},
	{"will not be retried", G(FINAL), 0},
	{"will not retry", G(FINAL), 0},
	{"no further attempts", G(FINAL), 0},
	{"delivery has failed", G(FINAL), 0},
	{"retry timeout exceeded", G(FINAL) | G(TEMPORARY), 0},
	{"could not be delivered to one or more", G(FINAL), 0},
	{"not going to try again", G(FINAL), 0},	/* qmail, when the queue lifetime ends */
	{"does not retry", G(FINAL), 0},
	{"has been discarded", G(FINAL), 0},
	{"was discarded", G(FINAL), 0},
	{"in the queue too long", G(FINAL), 0},
	{"no further delivery attempts", G(FINAL), 0},
	{"delivery time expired", G(FINAL), 0},
	{"cannot send message for", G(FINAL), 0},	/* Sendmail's give-up ("for 5 days"); its warning "could not" */
	{"servidor desistiu", G(FINAL), 0},	/* pt: the server gave up */
	{"nenhuma outra tentativa", G(FINAL), 0},	/* pt: no further attempt */
	{"non verranno effettuati ulteriori", G(FINAL), 0},	/* it: no further attempts will be made */
	{"nessun ulteriore tentativo", G(FINAL), 0},
	{"rimosso dalla coda", G(FINAL), 0},	/* it: removed from the queue */
	{"ha desistido", G(FINAL), 0},	/* es: (the server) gave up */
	{"no se volver a intentar", G(FINAL), 0},	/* es: no se volverá a intentar */
	{"eliminado de la cola", G(FINAL), 0},	/* es: removed from the queue */
	{"nebud uskuto nen", G(FINAL), 0},	/* sk: (further attempts) nebudú uskutočnené */
	{"odstr nen z fronty", G(FINAL), 0},	/* sk: odstránená z fronty, removed from the queue */
	{"odstran na z fronty", G(FINAL), 0},	/* cs: odstraněna z fronty */
	{"erro permanente", G(FINAL) | G(PERMANENT), 0},	/* gl, pt: permanent error */
	{"error permanente", G(FINAL) | G(PERMANENT), 0},	/* es */
	{"errore permanente", G(FINAL) | G(PERMANENT), 0},	/* it */
	{"non se volver intentar", G(FINAL), 0},	/* gl: non se volverá intentar */
	/* a failure that is temporary, in words */
	{"temporary", G(TEMPORARY), 0},
	{"temporarily", G(TEMPORARY), 0},
	{"deferred", G(TEMPORARY), 0},
	{"delayed", G(TEMPORARY), W},
	{"try again later", G(TEMPORARY), 0},
	/* the host never answered in time */
	{"timed out", G(NO_ANSWER), 0},
	{"zeit berschreitung", G(NO_ANSWER), 0},	/* de: Zeitüberschreitung */
	{"tiempo de espera agotado", G(NO_ANSWER), 0},	/* es: the wait timed out */
	{"temps d espera esgotat", G(NO_ANSWER), 0},	/* ca */
	{"timeout", G(NO_ANSWER), W},
	{"not reachable", G(NO_ANSWER), 0},
	{"unreachable", G(NO_ANSWER), W},
	{"not responding", G(NO_ANSWER), 0},
	{"requests to connect", G(NO_ANSWER), 0},
	/* a DNS lookup that failed, not a missing name */
	{"lookup failure", G(DNS_FAILURE), 0},
	{"lookup failed", G(DNS_FAILURE), 0},
	{"dns query failed", G(DNS_FAILURE), 0},
	{"dns failure", G(DNS_FAILURE), 0},
	{"name server failure", G(DNS_FAILURE), 0},
	{"servfail", G(DNS_FAILURE), W},
	/* delivery to a local program */
	{"pipe to", G(PIPE), W},
	/* an auto-reply, in the Subject or its first words (several languages) */
	{"out of office", G(AUTOREPLY), 0},
	{"out of the office", G(AUTOREPLY), 0},
	{"auto reply", G(AUTOREPLY), 0},
	{"autoreply", G(AUTOREPLY), 0},
	{"automatic reply", G(AUTOREPLY), 0},
	{"automatic response", G(AUTOREPLY), 0},
	{"auto response", G(AUTOREPLY), 0},
	{"autoresponse", G(AUTOREPLY), 0},
	{"autoresponder", G(AUTOREPLY), 0},
	{"on vacation", G(AUTOREPLY), 0},
	{"away from the office", G(AUTOREPLY), 0},
	{"automatische antwort", G(AUTOREPLY), 0},	/* de */
	{"abwesenheitsnotiz", G(AUTOREPLY), 0},
	{"ponse automatique", G(AUTOREPLY), 0},	/* fr: réponse automatique */
	{"absent du bureau", G(AUTOREPLY), 0},
	{"absente du bureau", G(AUTOREPLY), 0},
	{"absence du bureau", G(AUTOREPLY), 0},
	{"respuesta autom", G(AUTOREPLY), 0},	/* es: respuesta automática */
	{"fuera de la oficina", G(AUTOREPLY), 0},
	{"resposta autom", G(AUTOREPLY), 0},	/* pt: resposta automática */
	{"risposta automatica", G(AUTOREPLY), 0},	/* it */
	{"fuori ufficio", G(AUTOREPLY), 0},
	{"automatyczna odpowied", G(AUTOREPLY), 0}, /* pl: automatyczna odpowiedź */
	{"automatisch antwoord", G(AUTOREPLY), 0},	/* nl */
	{"ticket received", G(AUTOREPLY), 0},	/* a helpdesk's acknowledgement */
	/* ... which says so in its first words */
	{"received your request", G(ACKNOWLEDGED), 0},
	{"received your message", G(ACKNOWLEDGED), 0},
	{"has been received and is being reviewed", G(ACKNOWLEDGED), 0},
	{"accusons bonne r ception", G(ACKNOWLEDGED), 0},	/* fr: nous accusons bonne réception */
	/* a challenge-response system holding the mail until the sender proves itself */
	{"challenge response", G(CHALLENGE), 0},
	{"guest list", G(CHALLENGE), 0},
	{"approved sender list", G(CHALLENGE), 0},
	{"approved senders list", G(CHALLENGE), 0},
	{"verify that you are a human", G(CHALLENGE), 0},
	{"prove that you are a human", G(CHALLENGE), 0},
	{"verify that you are a person", G(CHALLENGE), 0},
	{"that you are a real person", G(CHALLENGE), 0},
	{"confirm that you are a person", G(CHALLENGE), 0},
	{"confirm that you are a human", G(CHALLENGE), 0},
	/* ... or a list's moderator, until it approves the post */
	/* a filter's digest of the mail it holds for the recipient: nothing bounced */
	{"quarantine summary", G(CHALLENGE), 0},
	{"quarantine digest", G(CHALLENGE), 0},
	{"quarantine report", G(CHALLENGE), 0},
	{"were quarantined", G(CHALLENGE), 0},
	{"messages in quarantine", G(CHALLENGE), 0},
	{"in your quarantine", G(CHALLENGE), 0},	/* the mailbox owner's quarantine: "new messages in your (Email) Quarantine" */
	{"in your email quarantine", G(CHALLENGE), 0},
	{"in your spam quarantine", G(CHALLENGE), 0},
	{"in quarant ne", G(CHALLENGE), 0},	/* de: in Quarantäne (verschoben) */
	{"list moderator", G(CHALLENGE), 0},
	{"moderator approval", G(CHALLENGE), 0},
	{"held for moderation", G(CHALLENGE), 0},
	{"awaiting moderation", G(CHALLENGE), 0},
	/* ... or a list's check that the subscriber asked to join */
	{"subscription confirmation", G(CHALLENGE), 0},
	{"registration confirmation", G(CHALLENGE), 0},
	{"confirm that this is your email address", G(CHALLENGE), 0},
	/* a Subject that names a bounce or a delay notice (several languages) */
	{"undeliver", G(BOUNCE), WL},
	{"delivery fail", G(BOUNCE), 0},
	{"failure notice", G(BOUNCE), 0},
	{"returned mail", G(BOUNCE), 0},
	{"delivery status notification", G(BOUNCE), 0},
	{"mail delivery", G(BOUNCE), 0},
	{"could not be delivered", G(BOUNCE), 0},
	{"delivery failure", G(BOUNCE), 0},
	{"delivery problem", G(BOUNCE), 0},
	{"nondeliverable", G(BOUNCE), 0},
	{"non deliverable", G(BOUNCE), 0},
	{"not delivered", G(BOUNCE), 0},
	{"failed delivery", G(BOUNCE), 0},
	{"message blocked", G(BOUNCE), 0},	/* a filter's notice to the sender */
	{"email blocked", G(BOUNCE), 0},
	{"non distribu", G(BOUNCE), 0},	/* fr: message non distribué */
	{"failed mail", G(BOUNCE), 0},	/* MMDF's Subject */
	{"mail system error", G(BOUNCE), 0},
	{"returned to sender", G(BOUNCE), 0},
	{"delivery notification", G(BOUNCE), 0},
	{"mail could not", G(BOUNCE), 0},
	{"rejected", G(BOUNCE), W},
	{"bounce", G(BOUNCE), WL},
	{"error sending", G(BOUNCE), 0},
	{"message you sent", G(BOUNCE), 0},
	{"could not send", G(BOUNCE), 0},
	{"delayed mail", G(BOUNCE), 0},
	{"delivery delayed", G(BOUNCE), 0},
	{"delivery has failed", G(BOUNCE), 0},
	{"permanent error", G(BOUNCE), 0},
	{"unable to deliver", G(BOUNCE), 0},
	{"notification", G(BOUNCE), W},
	{"unzustellbar", G(BOUNCE), 0},	/* de */
	{"fehlgeschlagen", G(BOUNCE), 0},
	{"nicht zugestellt", G(BOUNCE), 0},
	{"non remis", G(BOUNCE), 0},	/* fr */
	{"chec de la remise", G(BOUNCE), 0},	/* fr: échec de la remise */
	{"no entregado", G(BOUNCE), 0},	/* es */
	{"no se pudo entregar", G(BOUNCE), 0},
	{"n o entregue", G(BOUNCE), 0},	/* pt: não entregue */
	{"non recapitabile", G(BOUNCE), 0},	/* it */
	{"mancata consegna", G(BOUNCE), 0},
	{"niedostarczon", G(BOUNCE), 0},	/* pl: niedostarczona wiadomość */
	{"onbestelbaar", G(BOUNCE), 0}, /* nl */
	/*
	 * a line that introduces the copy of the message returned with the
	 * notice ("----- Original message follows -----", "Below this line is
	 * a copy of the message.", "Content-Type: message/rfc822")
	 */
	{"copy of the message", G(RETURNED), 0},
	{"copy of your message", G(RETURNED), 0},
	{"original message follows", G(RETURNED), 0},
	{"original message headers", G(RETURNED), 0},
	{"the original message was", G(RETURNED), 0},
	{"message headers follow", G(RETURNED), 0},
	{"undelivered message", G(RETURNED), W},
	{"returned message", G(RETURNED), W},
	{"below this line is a copy", G(RETURNED), 0},
	{"unsent message below", G(RETURNED), 0},
	{"header of the original", G(RETURNED), 0},
	{"headers of the original", G(RETURNED), 0},
	{"content type message rfc822", G(RETURNED), 0},
	{"your message reads", G(RETURNED), 0},
	{"message text follows", G(RETURNED), 0},
	{"included is a copy", G(RETURNED), 0},
	{"attached is a copy", G(RETURNED), 0},
	/* a From that names a mail system, not a person (read with its addresses) */
	{"mailer daemon", G(MAIL_SYSTEM), 0},
	{"postmaster", G(MAIL_SYSTEM), 0},
	{"post master", G(MAIL_SYSTEM), 0},
	{"mail delivery", G(MAIL_SYSTEM), 0},
	{"mail administrator", G(MAIL_SYSTEM), 0},
	{"mdaemon", G(MAIL_SYSTEM), WL},	/* MDaemon's own notices come from MDaemon@ */
	/* the number of delivery attempts made: a digit, then the word */
	{"0 attempts", G(ATTEMPTS), 0},
	{"1 attempts", G(ATTEMPTS), 0},
	{"2 attempts", G(ATTEMPTS), 0},
	{"3 attempts", G(ATTEMPTS), 0},
	{"4 attempts", G(ATTEMPTS), 0},
	{"5 attempts", G(ATTEMPTS), 0},
	{"6 attempts", G(ATTEMPTS), 0},
	{"7 attempts", G(ATTEMPTS), 0},
	{"8 attempts", G(ATTEMPTS), 0},
	{"9 attempts", G(ATTEMPTS), 0},
	/*
	 * An abuse complaint: a Subject of a feedback loop before ARF, or the
	 * words of an abuse desk or of the recipient (dsn_is_prose_complaint)
	 */
	{"complaint about", G(COMPLAINT), 0},
	{"abuse report", G(COMPLAINT), 0},
	{"received a complaint", G(COMPLAINT), 0},
	{"received complaints", G(COMPLAINT), 0},
	{"spam complaint", G(COMPLAINT), 0},
	{"abuse complaint", G(COMPLAINT), 0},
	{"unsolicited commercial", G(COMPLAINT), 0},
	{"unsolicited bulk", G(COMPLAINT), 0},
	{"unsolicited email", G(COMPLAINT), 0},
	{"unsolicited e mail", G(COMPLAINT), 0},
	{"reported as spam", G(COMPLAINT), 0},
	{"reported it as spam", G(COMPLAINT), 0},
	{"reported this as spam", G(COMPLAINT), 0},
	{"stop emailing me", G(COMPLAINT), 0},
	{"stop e mailing me", G(COMPLAINT), 0},
	{"stop sending me", G(COMPLAINT), 0},
	{"never signed up", G(COMPLAINT), 0},
	{"never subscribed", G(COMPLAINT), 0},
	/* the words say that delivery failed */
	{"unknown", G(FAILURE), W},
	{"not be delivered", G(FAILURE), 0},
	{"could not", G(FAILURE), 0},
	{"couldn t", G(FAILURE), 0},
	{"failed", G(FAILURE), W},
	{"failure", G(FAILURE), W},
	{"undeliver", G(FAILURE), WL},
	{"rejected", G(FAILURE), W},
	{"no such", G(FAILURE), 0},
	{"not found", G(FAILURE), 0},
	{"invalid", G(FAILURE), W},
	{"does not exist", G(FAILURE), 0},
	{"doesn t exist", G(FAILURE), 0},
	{"unable to", G(FAILURE), 0},
	{"error", G(FAILURE), WL},
	{"is full", G(FAILURE), 0},
	{"over quota", G(FAILURE), 0},
	{"aborted", G(FAILURE), W},
	{"denied", G(FAILURE), W},
	{"refused", G(FAILURE), W},
	{"blocked", G(FAILURE), W},
	{"not delivered", G(FAILURE), 0},
	{"expired", G(FAILURE), W},
	{"exceeds", G(FAILURE), W},
	{"did not reach", G(FAILURE), 0},
	{"problem delivering", G(FAILURE), 0},
	{"konnte nicht zugestellt werden", G(FAILURE), 0},	/* de */
	{"unzustellbar", G(FAILURE), 0},
	{"n a pas pu tre remis", G(FAILURE), 0},	/* fr: n'a pas pu être remis */
	{"non remis", G(FAILURE), 0},
	{"no se pudo entregar", G(FAILURE), 0},	/* es */
	{"no pudo ser entregado", G(FAILURE), 0},
	{"n o foi poss vel entregar", G(FAILURE), 0},	/* pt */
	{"non stato possibile consegnare", G(FAILURE), 0},	/* it */
	{"nie mo na dostarczy", G(FAILURE), 0},	/* pl: nie można dostarczyć */
	{"nie zosta a dostarczona", G(FAILURE), 0},
	{"kon niet worden afgeleverd", G(FAILURE), 0},	/* nl */
	{"could not deliver", G(FAILURE), 0},
	{"wasn t able to deliver", G(FAILURE), 0},
	{"was not able to deliver", G(FAILURE), 0},

	/* Japanese (see the reason phrases): delay, giving up, failure ... */
	{"配送遅延", G(DELAY) | G(BOUNCE), J},	/* delivery delayed */
	{"配信遅延", G(DELAY) | G(BOUNCE), J},
	{"送信遅延", G(DELAY) | G(BOUNCE), J},
	{"遅延しています", G(DELAY), J},	/* is delayed */
	{"まだ配送されていません", G(DELAY), J},	/* not yet delivered */
	{"まだ配信されていません", G(DELAY), J},
	{"まだ送信されていません", G(DELAY), J},
	{"再送を試み", G(DELAY), J},	/* tries to send again */
	{"再試行します", G(DELAY) | G(TEMPORARY), J},	/* will retry */
	{"配送を継続", G(DELAY), J},	/* continues delivery */
	{"配信を継続", G(DELAY), J},
	{"配送を試みています", G(DELAY), J},	/* is trying to deliver */
	{"配信を試みています", G(DELAY), J},
	{"配送を中止", G(FINAL), J},	/* delivery stopped */
	{"配信を中止", G(FINAL), J},
	{"再送を中止", G(FINAL), J},
	{"配送をあきらめ", G(FINAL), J},	/* gave up delivery */
	{"配信をあきらめ", G(FINAL), J},
	{"断念", G(FINAL), J},
	{"配送できませんでした", G(FAILURE), J},	/* could not be delivered */
	{"配信できませんでした", G(FAILURE), J},
	{"送信できませんでした", G(FAILURE), J},
	{"届けることができませんでした", G(FAILURE), J},
	{"届けられませんでした", G(FAILURE), J},
	{"配送に失敗", G(FAILURE), J},	/* delivery failed */
	{"配信に失敗", G(FAILURE), J},
	{"送信に失敗", G(FAILURE), J},
	{"エラー", G(FAILURE), J},	/* error */
	{"一時的", G(TEMPORARY), J},	/* temporary */
	{"恒久的", G(PERMANENT), J},	/* permanent */
	{"自動返信", G(AUTOREPLY), J},	/* automatic reply */
	{"自動応答", G(AUTOREPLY), J},
	{"不在にして", G(AUTOREPLY), J},	/* I am away */
	{"休暇中", G(AUTOREPLY), J},	/* on holiday */
	{"メールエラー", G(BOUNCE), J},	/* a Subject: mail error */
	{"配信エラー", G(BOUNCE), J},
	{"配送エラー", G(BOUNCE), J},
	{"送信エラー", G(BOUNCE), J},
	{"配送不能", G(BOUNCE) | G(FAILURE), J},	/* undeliverable */
	{"配信不能", G(BOUNCE) | G(FAILURE), J},
	{"配送失敗", G(BOUNCE) | G(FAILURE), J},	/* delivery failure */
	{"配信失敗", G(BOUNCE) | G(FAILURE), J},
	{"送信失敗", G(BOUNCE) | G(FAILURE), J},
	{"未配達", G(BOUNCE), J},	/* not delivered */
	{"不達", G(BOUNCE), J},
	{"元のメッセージ", G(RETURNED), J},	/* the original message */
	/* scripts other than Latin and Japanese (see the reason phrases) */
	{"еще не доставлен", G(DELAY), U},	/* ru: not yet delivered (ё folds to е) */
	{"пока не доставлен", G(DELAY), U},
	{"пока не удалось доставить", G(DELAY), U},
	{"еще не удалось доставить", G(DELAY), U},
	{"будут продолжены", G(DELAY), U},	/* (attempts) will go on */
	{"продолжит попытки", G(DELAY), U},
	{"будет продолжать попытки", G(DELAY), U},
	{"повторит попытку", G(DELAY), U},
	{"задерживается", G(DELAY), U},	/* is delayed */
	{"задержка доставки", G(DELAY) | G(BOUNCE), U},
	{"только предупреждение", G(DELAY), U},
	{"лишь предупреждение", G(DELAY), U},
	{"не нужно отправлять", G(DELAY), U},
	{"отправлять повторно не нужно", G(DELAY), U},
	{"ще не доставлен", G(DELAY), U},	/* uk */
	{"ще не вдалося доставити", G(DELAY), U},
	{"триватимуть", G(DELAY), U},
	{"продовжуватиме спроби", G(DELAY), U},
	{"повторить спробу", G(DELAY), U},
	{"затримується", G(DELAY), U},
	{"затримка доставки", G(DELAY) | G(BOUNCE), U},
	{"лише попередження", G(DELAY), U},
	{"тільки попередження", G(DELAY), U},
	{"не потрібно надсилати", G(DELAY), U},
	{"все още не е доставен", G(DELAY), U},	/* bg */
	{"ще продължи опитите", G(DELAY), U},
	{"ще продължи да опитва", G(DELAY), U},
	{"само предупреждение", G(DELAY), U},
	{"забавяне", G(DELAY), U},
	{"још није испоручен", G(DELAY), U},	/* sr: још није испоручена */
	{"само упозорење", G(DELAY), U},
	{"кашњење", G(DELAY), U},
	{"δεν έχει παραδοθεί ακόμα", G(DELAY), U},	/* el */
	{"δεν έχει ακόμη παραδοθεί", G(DELAY), U},
	{"δεν έχει ακόμα παραδοθεί", G(DELAY), U},
	{"θα συνεχίσει να προσπαθεί", G(DELAY), U},
	{"θα συνεχιστούν οι προσπάθειες", G(DELAY), U},
	{"μόνο μια προειδοποίηση", G(DELAY), U},
	{"απλή προειδοποίηση", G(DELAY), U},
	{"καθυστέρηση παράδοσης", G(DELAY) | G(BOUNCE), U},
	{"καθυστερεί", G(DELAY), U},
	{"δεν χρειάζεται να στείλετε", G(DELAY), U},
	{"טרם נמסר", G(DELAY), U},	/* he: not yet delivered */
	{"אזהרה בלבד", G(DELAY), U},	/* a warning only */
	{"תמשיך לנסות", G(DELAY), U},	/* will go on trying */
	{"ימשיך לנסות", G(DELAY), U},
	{"נמשיך לנסות", G(DELAY), U},
	{"עיכוב במסירת", G(DELAY) | G(BOUNCE), U},
	{"עיכוב במסירה", G(DELAY) | G(BOUNCE), U},
	{"מתעכבת", G(DELAY), U},
	{"אין צורך לשלוח", G(DELAY), U},
	{"لم يتم تسليمها بعد", G(DELAY), U},	/* ar: not delivered yet */
	{"لم يتم التسليم بعد", G(DELAY), U},
	{"لم تسلم بعد", G(DELAY), U},
	{"مجرد تحذير", G(DELAY), U},	/* only a warning */
	{"تحذير فقط", G(DELAY), U},
	{"ستستمر المحاولات", G(DELAY), U},
	{"سيتم إعادة المحاولة", G(DELAY) | G(TEMPORARY), U},
	{"ستتم إعادة المحاولة", G(DELAY) | G(TEMPORARY), U},
	{"تأخير في التسليم", G(DELAY) | G(BOUNCE), U},
	{"تأخر تسليم", G(DELAY) | G(BOUNCE), U},
	{"تأخير تسليم", G(DELAY) | G(BOUNCE), U},
	{"لا حاجة لإعادة", G(DELAY), U},
	{"لا داعي لإعادة", G(DELAY), U},
	{"هنوز تحویل", G(DELAY), U},	/* fa: not yet delivered */
	{"هنوز ارسال نشده", G(DELAY), U},
	{"تأخیر در تحویل", G(DELAY) | G(BOUNCE), U},
	{"دوباره تلاش خواهد", G(DELAY), U},
	{"فقط یک هشدار", G(DELAY), U},
	{"ยังไม่ได้ส่ง", G(DELAY), U},	/* th: not yet sent */
	{"ยังไม่สามารถส่ง", G(DELAY), U},
	{"ยังไม่ถูกส่ง", G(DELAY), U},
	{"ล่าช้า", G(DELAY), U},	/* delayed */
	{"จะพยายามส่งอีกครั้ง", G(DELAY), U},
	{"จะพยายามส่งต่อ", G(DELAY), U},
	{"จะลองส่งอีกครั้ง", G(DELAY), U},
	{"เป็นเพียงคำเตือน", G(DELAY), U},
	{"ไม่จำเป็นต้องส่งใหม่", G(DELAY), U},
	{"ไม่ต้องส่งใหม่", G(DELAY), U},
	{"अभी तक वितरित नहीं", G(DELAY), U},	/* hi */
	{"अभी तक डिलीवर नहीं", G(DELAY), U},
	{"विलंबित", G(DELAY), U},
	{"पुनः प्रयास करेगा", G(DELAY), U},
	{"फिर से प्रयास करेगा", G(DELAY), U},
	{"केवल एक चेतावनी", G(DELAY), U},
	{"尚未送达", G(DELAY), U},	/* zh: not yet delivered */
	{"尚未投递", G(DELAY), U},
	{"尚未发送", G(DELAY), U},
	{"仍未送达", G(DELAY), U},
	{"延迟投递", G(DELAY) | G(BOUNCE), U},
	{"投递延迟", G(DELAY) | G(BOUNCE), U},
	{"发送延迟", G(DELAY) | G(BOUNCE), U},
	{"邮件延迟", G(DELAY) | G(BOUNCE), U},
	{"将继续尝试", G(DELAY), U},
	{"会继续尝试", G(DELAY), U},
	{"仍在尝试", G(DELAY), U},
	{"稍后重试", G(DELAY) | G(TEMPORARY), U},
	{"仅为警告", G(DELAY), U},
	{"只是警告", G(DELAY), U},
	{"无需重新发送", G(DELAY), U},
	{"不需要重新发送", G(DELAY), U},
	{"尚未送達", G(DELAY), U},
	{"尚未投遞", G(DELAY), U},
	{"尚未傳送", G(DELAY), U},
	{"傳送延遲", G(DELAY) | G(BOUNCE), U},
	{"投遞延遲", G(DELAY) | G(BOUNCE), U},
	{"郵件延遲", G(DELAY) | G(BOUNCE), U},
	{"將繼續嘗試", G(DELAY), U},
	{"會繼續嘗試", G(DELAY), U},
	{"仍在嘗試", G(DELAY), U},
	{"稍後重試", G(DELAY) | G(TEMPORARY), U},
	{"僅為警告", G(DELAY), U},
	{"無需重新傳送", G(DELAY), U},
	{"不需要重新傳送", G(DELAY), U},
	{"無需重新發送", G(DELAY), U},
	{"아직 전달되지 않았", G(DELAY), U},	/* ko: not yet delivered */
	{"아직 전송되지 않았", G(DELAY), U},
	{"아직 발송되지 않았", G(DELAY), U},
	{"지연되고 있", G(DELAY), U},
	{"전송이 지연", G(DELAY) | G(BOUNCE), U},
	{"발송이 지연", G(DELAY) | G(BOUNCE), U},
	{"전달이 지연", G(DELAY) | G(BOUNCE), U},
	{"계속 시도", G(DELAY), U},
	{"다시 시도할 예정", G(DELAY), U},
	{"재시도할 예정", G(DELAY), U},
	{"다시 보낼 필요가 없", G(DELAY), U},
	{"ჯერ არ არის მიწოდებული", G(DELAY), U},	/* ka: not yet delivered */
	{"განაგრძობს მიწოდების მცდელობ", G(DELAY), U},	/* continues its delivery attempts */
	{"ხელახლა გაგზავნა საჭირო არ არის", G(DELAY), U},	/* no need to send it again */
	{"დაგვიანებული", G(DELAY), U},	/* delayed */
	{"դեռ չի առաքվել", G(DELAY), U},	/* hy: not yet delivered */
	{"կշարունակի փորձել", G(DELAY), U},	/* will keep trying */
	{"попытки доставки прекращены", G(FINAL), U},	/* ru: delivery attempts stopped */
	{"доставка прекращена", G(FINAL), U},
	{"больше не будет", G(FINAL), U},
	{"удалено из очереди", G(FINAL), U},
	{"постоянная ошибка", G(FINAL) | G(PERMANENT), U},
	{"окончательная ошибка", G(FINAL) | G(PERMANENT), U},
	{"спроби доставки припинено", G(FINAL), U},	/* uk */
	{"більше не буде", G(FINAL), U},
	{"видалено з черги", G(FINAL), U},
	{"постійна помилка", G(FINAL) | G(PERMANENT), U},
	{"опитите са прекратени", G(FINAL), U},	/* bg */
	{"постоянна грешка", G(FINAL) | G(PERMANENT), U},
	{"δεν θα γίνουν άλλες προσπάθειες", G(FINAL), U},	/* el */
	{"οι προσπάθειες σταμάτησαν", G(FINAL), U},
	{"μόνιμο σφάλμα", G(FINAL) | G(PERMANENT), U},
	{"μόνιμη αποτυχία", G(FINAL) | G(PERMANENT), U},
	{"לא יבוצעו ניסיונות נוספים", G(FINAL), U},	/* he: no further attempts */
	{"שגיאה קבועה", G(FINAL) | G(PERMANENT), U},
	{"لن تتم محاولة", G(FINAL), U},
	{"لن تتم أي محاولات", G(FINAL), U},	/* ar: no further attempts */
	{"توقفت محاولات", G(FINAL), U},
	{"خطأ دائم", G(FINAL) | G(PERMANENT), U},
	{"خطای دائمی", G(FINAL) | G(PERMANENT), U},	/* fa */
	{"จะไม่พยายามส่งอีก", G(FINAL), U},	/* th */
	{"ยุติการส่ง", G(FINAL), U},	/* th: stopped sending */
	{"ข้อผิดพลาดถาวร", G(FINAL) | G(PERMANENT), U},
	{"स्थायी त्रुटि", G(FINAL) | G(PERMANENT), U},	/* hi */
	{"已放弃", G(FINAL), U},	/* zh: gave up */
	{"停止投递", G(FINAL), U},	/* stopped delivering */
	{"停止投遞", G(FINAL), U},
	{"放弃投递", G(FINAL), U},
	{"不再尝试", G(FINAL), U},
	{"不再重试", G(FINAL), U},
	{"永久性错误", G(FINAL) | G(PERMANENT), U},
	{"永久错误", G(FINAL) | G(PERMANENT), U},
	{"已放棄", G(FINAL), U},
	{"放棄投遞", G(FINAL), U},
	{"不再嘗試", G(FINAL), U},
	{"不再重試", G(FINAL), U},
	{"永久性錯誤", G(FINAL) | G(PERMANENT), U},
	{"永久錯誤", G(FINAL) | G(PERMANENT), U},
	{"더 이상 시도하지 않", G(FINAL), U},	/* ko */
	{"재시도하지 않", G(FINAL), U},
	{"영구적인 오류", G(FINAL) | G(PERMANENT), U},
	{"영구 오류", G(FINAL) | G(PERMANENT), U},
	{"전송을 포기", G(FINAL), U},
	{"не удалось доставить", G(FAILURE), U},	/* ru: could not deliver */
	{"не может быть доставлено", G(FAILURE), U},
	{"не было доставлено", G(FAILURE), U},
	{"ошибка доставки", G(BOUNCE) | G(FAILURE), U},
	{"недоставленное", G(BOUNCE) | G(FAILURE), U},
	{"не вдалося доставити", G(FAILURE), U},	/* uk */
	{"не може бути доставлено", G(FAILURE), U},
	{"помилка доставки", G(BOUNCE) | G(FAILURE), U},
	{"не може да бъде доставено", G(FAILURE), U},	/* bg */
	{"не беше доставено", G(FAILURE), U},
	{"није могла бити испоручена", G(FAILURE), U},	/* sr */
	{"δεν ήταν δυνατή η παράδοση", G(FAILURE), U},	/* el */
	{"δεν παραδόθηκε", G(FAILURE), U},
	{"αποτυχία παράδοσης", G(BOUNCE) | G(FAILURE), U},
	{"לא ניתן למסור", G(FAILURE), U},	/* he: cannot be delivered */
	{"המסירה נכשלה", G(BOUNCE) | G(FAILURE), U},
	{"לא נמסרה", G(FAILURE), U},
	{"تعذر تسليم", G(FAILURE), U},	/* ar: could not deliver */
	{"تعذر توصيل", G(FAILURE), U},
	{"فشل تسليم", G(BOUNCE) | G(FAILURE), U},
	{"فشل في تسليم", G(FAILURE), U},
	{"تحویل داده نشد", G(FAILURE), U},	/* fa */
	{"ไม่สามารถส่ง", G(FAILURE), U},	/* th: cannot send */
	{"ส่งไม่สำเร็จ", G(FAILURE), U},
	{"การส่งล้มเหลว", G(BOUNCE) | G(FAILURE), U},
	{"वितरित नहीं किया जा सका", G(FAILURE), U},	/* hi */
	{"无法投递", G(FAILURE), U},	/* zh: cannot be delivered */
	{"投递失败", G(BOUNCE) | G(FAILURE), U},
	{"发送失败", G(BOUNCE) | G(FAILURE), U},
	{"无法送达", G(FAILURE), U},
	{"未能送达", G(FAILURE), U},
	{"退信", G(BOUNCE), U},
	{"無法投遞", G(FAILURE), U},
	{"投遞失敗", G(BOUNCE) | G(FAILURE), U},
	{"傳送失敗", G(BOUNCE) | G(FAILURE), U},
	{"無法送達", G(FAILURE), U},
	{"未能送達", G(FAILURE), U},
	{"მიწოდება ვერ მოხერხდა", G(FAILURE), U},	/* ka: delivery failed */
	{"չհաջողվեց առաքել", G(FAILURE), U},	/* hy: could not deliver */
	{"전달할 수 없", G(FAILURE), U},	/* ko */
	{"전송할 수 없", G(FAILURE), U},
	{"전송 실패", G(BOUNCE) | G(FAILURE), U},
	{"발송 실패", G(BOUNCE) | G(FAILURE), U},
	{"전달 실패", G(BOUNCE) | G(FAILURE), U},
	{"반송", G(BOUNCE), U},
	{"временно", G(TEMPORARY), U},	/* ru, bg: temporarily */
	{"тимчасово", G(TEMPORARY), U},	/* uk */
	{"προσωρινά", G(TEMPORARY), U},	/* el */
	{"זמנית", G(TEMPORARY), U},	/* he */
	{"مؤقت", G(TEMPORARY), U},	/* ar, fa */
	{"ชั่วคราว", G(TEMPORARY), U},	/* th */
	{"अस्थायी", G(TEMPORARY), U},	/* hi */
	{"暂时", G(TEMPORARY), U},	/* zh */
	{"暫時", G(TEMPORARY), U},
	{"일시적", G(TEMPORARY), U},	/* ko */
	{"время ожидания истекло", G(NO_ANSWER), U},	/* ru: the wait timed out */
	{"превышено время ожидания", G(NO_ANSWER), U},
	{"连接超时", G(NO_ANSWER), U},	/* zh */
	{"連線逾時", G(NO_ANSWER), U},
	{"시간 초과", G(NO_ANSWER), U},	/* ko */
	{"응답이 없", G(NO_ANSWER), U},	/* ko: no answer */
	{"автоответ", G(AUTOREPLY), U},
	{"автоматический ответ", G(AUTOREPLY), U},
	{"автовідповідь", G(AUTOREPLY), U},
	{"автоматичен отговор", G(AUTOREPLY), U},
	{"αυτόματη απάντηση", G(AUTOREPLY), U},
	{"מענה אוטומטי", G(AUTOREPLY), U},
	{"תשובה אוטומטית", G(AUTOREPLY), U},
	{"رد تلقائي", G(AUTOREPLY), U},
	{"رد آلي", G(AUTOREPLY), U},
	{"پاسخ خودکار", G(AUTOREPLY), U},
	{"ตอบกลับอัตโนมัติ", G(AUTOREPLY), U},
	{"स्वचालित उत्तर", G(AUTOREPLY), U},
	{"自动回复", G(AUTOREPLY), U},
	{"自動回覆", G(AUTOREPLY), U},
	{"자동 응답", G(AUTOREPLY), U},
	{"부재중", G(AUTOREPLY), U},
};
#undef G

#define NUM_SIGNS ((int) (sizeof(sign_phrases) / sizeof(sign_phrases[0])))
#define NUM_ENTRIES (NUM_PHRASES + NUM_SIGNS)

/* Text and flags of trie entry i: a reason phrase, then the sign phrases. */
static inline const char *
entry_text(int i)
{
	return i < NUM_PHRASES ? phrases[i].text : sign_phrases[i - NUM_PHRASES].text;
}

static inline uint8_t
entry_flags(int i)
{
	return i < NUM_PHRASES ? phrases[i].flags : sign_phrases[i - NUM_PHRASES].flags;
}

/*
 * Symbols.  The automaton is built over NSYM_RAW raw symbols: 0 other ('@'),
 * 1 separator, 2..27 letters, 28..37 digits.  A letter or digit that no
 * phrase contains acts exactly like '@' (every state goes back to the root
 * on it), so once the automaton is complete such symbols are merged into
 * symbol 0 and the table is compacted to the 'nsym' symbols in use.
 */
#define NSYM_RAW	38
#define SYM_OTHER	0
#define SYM_SEP		1
#define MAX_STATES	16384
#define NO_STATE	0xFFFF

static uint8_t sym_of[256];

/*
 * Transition table.  It is built as 'raw': uint16 state numbers, row s at
 * raw[s * NSYM_RAW].  The scan then uses 'dfa': row s at dfa[s * nsym],
 * each entry the row offset of the next state (its number times nsym), so
 * a step is one add and one load, with no multiply on the dependency chain
 * from byte to byte.  Both share the storage: the conversion runs in place.
 */
static union
{
	uint16_t	raw[MAX_STATES * NSYM_RAW];
	uint32_t	dfa[MAX_STATES * NSYM_RAW];
}			tbl;
static int	nsym = NSYM_RAW;

/*
 * States are numbered so that those with outputs come last: the row
 * offset of the state is then compared with accept_off to know whether to
 * look at the outputs, without a load.
 */
static uint32_t accept_off;

#define RAW(s, c)	tbl.raw[(size_t) (s) * NSYM_RAW + (c)]

static uint16_t fail_of[MAX_STATES];
static int16_t out_best[MAX_STATES];	/* best phrase ending here, -1 none */
static int16_t out_strong[MAX_STATES];	/* best strong phrase ending here */
static uint32_t out_signs[MAX_STATES];	/* signs of the sign phrases ending here */
static uint8_t last_sym[MAX_STATES];	/* symbol that enters the state */
static bool sym_used[NSYM_RAW];	/* raw symbol occurs in some phrase */
static int	num_states;
static bool overflow = false;	/* a phrase did not fit: tests catch this */
static bool built = false;

/* Is phrase a better than phrase b (higher priority; ties: lower index)? */
static inline bool
better(int a, int b)
{
	if (a < 0)
		return false;
	if (b < 0)
		return true;
	if (phrases[a].prio != phrases[b].prio)
		return phrases[a].prio > phrases[b].prio;
	return a < b;
}

/* Fill the byte -> raw symbol table (the normalisation described above). */
static void
build_symbols(void)
{
	int			c;

	for (c = 0; c < 256; c++)
	{
		if (c >= 'a' && c <= 'z')
			sym_of[c] = (uint8_t) (2 + c - 'a');
		else if (c >= 'A' && c <= 'Z')
			sym_of[c] = (uint8_t) (2 + c - 'A');
		else if (c >= '0' && c <= '9')
			sym_of[c] = (uint8_t) (28 + c - '0');
		else if (c == '@')
			sym_of[c] = SYM_OTHER;	/* '@' glues addresses: "<spam@x>" is no word */
		else
			sym_of[c] = SYM_SEP;
	}
}

/* Walk or extend the trie by one symbol; returns the next state or -1 when full. */
static int
trie_step(int s, int sym)
{
	if (RAW(s, sym) == NO_STATE)
	{
		if (num_states >= MAX_STATES)
		{
			overflow = true;
			return -1;
		}
		/* rows are initialised as states are created: untouched pages stay free */
		memset(&RAW(num_states, 0), 0xFF, NSYM_RAW * sizeof(tbl.raw[0]));
		out_best[num_states] = -1;
		out_strong[num_states] = -1;
		out_signs[num_states] = 0;
		last_sym[num_states] = (uint8_t) sym;
		RAW(s, sym) = (uint16_t) num_states;
		num_states++;
	}
	return RAW(s, sym);
}

/* Longest phrase, in symbols (after folding, with word boundaries). */
#define MAX_PHRASE_SYMS 96

/*
 * Symbols of phrase idx, normalised like the text will be, into seq;
 * returns the count, or -1 when it does not fit.
 */
static int
phrase_symbols(int idx, uint8_t *seq)
{
	const unsigned char *p = (const unsigned char *) entry_text(idx);
	int			n = 0;
	int			prev = -1;

	if (entry_flags(idx) & PHRASE_WB_LEFT)
	{
		seq[n++] = SYM_SEP;
		prev = SYM_SEP;
	}
	for (; *p != '\0'; p++)
	{
		int			sym = sym_of[*p];

		if (sym == SYM_SEP && (prev == SYM_SEP || prev == -1))
			continue;			/* fold runs; a leading separator is implied */
		if (n >= MAX_PHRASE_SYMS - 1)
			return -1;
		seq[n++] = (uint8_t) sym;
		prev = sym;
	}
	if ((entry_flags(idx) & PHRASE_WB_RIGHT) && prev != SYM_SEP)
		seq[n++] = SYM_SEP;
	return n;
}

/*
 * The phrases of Japanese (PHRASE_JA) and of other scripts (PHRASE_UNI)
 * are not in the automaton: its symbols are ASCII letters and digits.
 * Each script's are kept as the codes its folder gives (JIS X 0208 codes,
 * japanese.h; folded code points, scripts.h) and compared with the text's
 * codes when its bytes may hold that script, which few texts do.  One
 * shape serves both: the phrases sorted by first code, so a position of
 * the text looks only at the phrases that start with its code.
 */
#define CS_MAX_PHRASES	512
#define CS_MAX_LEN		32		/* codes in the longest phrase, spaces dropped */
#define CS_BLOCK		256		/* codes folded at a time */

typedef struct code_set
{
	uint16_t	codes[CS_MAX_PHRASES][CS_MAX_LEN];
	uint8_t		len[CS_MAX_PHRASES];
	int16_t		entry[CS_MAX_PHRASES];	/* trie entry index */
	uint8_t		first[65536 / 8];	/* codes that start a phrase */
	int			n;
	int16_t		order[CS_MAX_PHRASES];	/* phrases sorted by first code */
	uint16_t	runs[CS_MAX_PHRASES + 1][2];	/* {first code, start in order} */
	int			nruns;
} code_set;

static code_set ja_set;
static code_set uni_set;

/* A script's folder: init on s[0..n) in a reading, then the codes a block at a time. */
typedef struct code_folder
{
	void		(*init) (void *f, const char *s, size_t n, int reading);
	size_t		(*next) (void *f, uint16_t *out, size_t max);
	uint16_t	sep;			/* codes no phrase holds */
	uint16_t	other;
} code_folder;

static void
ja_init(void *f, const char *s, size_t n, int reading)
{
	bounce_ja_fold_init((bounce_ja_fold *) f, s, n, reading);
}

static size_t
ja_next(void *f, uint16_t *out, size_t max)
{
	return bounce_ja_fold_next((bounce_ja_fold *) f, out, max);
}

static void
sc_init(void *f, const char *s, size_t n, int reading)
{
	bounce_sc_fold_init((bounce_sc_fold *) f, s, n, (bounce_sc_reading) reading);
}

static size_t
sc_next(void *f, uint16_t *out, size_t max)
{
	return bounce_sc_fold_next((bounce_sc_fold *) f, out, max);
}

static const code_folder ja_folder = {ja_init, ja_next, BOUNCE_JA_SEP, BOUNCE_JA_OTHER};
static const code_folder sc_folder = {sc_init, sc_next, BOUNCE_SC_SEP, BOUNCE_SC_OTHER};

/* One folder's state, whichever script (the two are plain structs). */
typedef union any_fold
{
	bounce_ja_fold ja;
	bounce_sc_fold sc;
} any_fold;

/*
 * Fold the phrases flagged flag, read as UTF-8 (reading utf8), into cs; a
 * character the folder does not know, ASCII in a phrase, or an overlong
 * one is an overflow.
 */
static void
code_set_build(code_set *cs, int flag, const code_folder *fd, int utf8)
{
	int			i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < NUM_ENTRIES; i++)
	{
		const char *t = entry_text(i);
		any_fold	f;
		uint16_t	buf[CS_MAX_LEN + 1];
		size_t		n,
					k;

		if (!(entry_flags(i) & flag))
			continue;
		if (cs->n >= CS_MAX_PHRASES)
		{
			overflow = true;
			return;
		}
		fd->init(&f, t, strlen(t), utf8);
		n = fd->next(&f, buf, CS_MAX_LEN + 1);
		for (k = 0; k < n; k++)
			if (buf[k] == fd->sep || buf[k] == fd->other)
				n = 0;
		if (n == 0 || n > CS_MAX_LEN)
		{
			overflow = true;
			continue;
		}
		memcpy(cs->codes[cs->n], buf, n * sizeof(buf[0]));
		cs->len[cs->n] = (uint8_t) n;
		cs->entry[cs->n] = (int16_t) i;
		cs->first[buf[0] >> 3] |= (uint8_t) (1u << (buf[0] & 7));
		cs->n++;
	}

	/* sorted by first code (insertion sort, stable: table order within a code) */
	for (i = 0; i < cs->n; i++)
	{
		int			j = i;

		while (j > 0 && cs->codes[cs->order[j - 1]][0] > cs->codes[i][0])
		{
			cs->order[j] = cs->order[j - 1];
			j--;
		}
		cs->order[j] = (int16_t) i;
	}
	for (i = 0; i < cs->n; i++)
	{
		uint16_t	c = cs->codes[cs->order[i]][0];

		if (cs->nruns == 0 || cs->runs[cs->nruns - 1][0] != c)
		{
			cs->runs[cs->nruns][0] = c;
			cs->runs[cs->nruns++][1] = (uint16_t) i;
		}
	}
	cs->runs[cs->nruns][1] = (uint16_t) cs->n;	/* end of the last run */
}

/*
 * Build the trie level by level, so states are numbered in breadth-first
 * order: the shallow states, where the scan spends most of its time, sit
 * together in the first rows of the table and stay in cache.
 */
static void
build_trie(void)
{
	static uint8_t seqs[NUM_ENTRIES][MAX_PHRASE_SYMS];
	static int	lens[NUM_ENTRIES];
	int			maxlen = 0;
	int			i,
				d,
				k;

	for (i = 0; i < NUM_ENTRIES; i++)
	{
		if (entry_flags(i) & (PHRASE_JA | PHRASE_UNI))
		{
			lens[i] = 0;		/* not in the automaton: see ja_build(), uni_build() */
			continue;
		}
		lens[i] = phrase_symbols(i, seqs[i]);
		if (lens[i] <= 0)
			overflow = true;
		if (lens[i] > maxlen)
			maxlen = lens[i];
		for (k = 0; k < lens[i]; k++)
			sym_used[seqs[i][k]] = true;
	}
	for (d = 1; d <= maxlen; d++)
	{
		for (i = 0; i < NUM_ENTRIES; i++)
		{
			int			s = 0;

			if (lens[i] < d)
				continue;
			for (k = 0; k < d && s >= 0; k++)
				s = trie_step(s, seqs[i][k]);
			if (s <= 0 || d != lens[i])
				continue;
			if (i >= NUM_PHRASES)
			{
				out_signs[s] |= sign_phrases[i - NUM_PHRASES].signs;
				continue;
			}
			if (better(i, out_best[s]))
				out_best[s] = (int16_t) i;
			if ((phrases[i].flags & PHRASE_STRONG) && better(i, out_strong[s]))
				out_strong[s] = (int16_t) i;
		}
	}
}

/*
 * Renumber the states so that those with outputs come after all the others
 * (each group keeps its breadth-first order, so the shallow states where
 * the scan spends its time stay together).  Rows move in place along the
 * cycles of the permutation; then every entry is renumbered.
 */
static void
order_states(void)
{
	static uint16_t new_of[MAX_STATES];
	static bool moved[MAX_STATES];
	uint16_t	carry[NSYM_RAW];
	uint16_t	tmp[NSYM_RAW];
	int			next = 0;
	int			s;
	size_t		k;

	for (s = 0; s < num_states; s++)
		if (out_best[s] < 0 && out_signs[s] == 0)
			new_of[s] = (uint16_t) next++;
	accept_off = (uint32_t) next;	/* a state number for now */
	for (s = 0; s < num_states; s++)
		if (out_best[s] >= 0 || out_signs[s] != 0)
			new_of[s] = (uint16_t) next++;

	for (s = 0; s < num_states; s++)
	{
		int			cur = s;
		int16_t		cb = out_best[s];
		int16_t		cs = out_strong[s];
		uint32_t	cg = out_signs[s];

		if (moved[s])
			continue;
		memcpy(carry, &RAW(s, 0), sizeof(carry));
		for (;;)
		{
			int			dst = new_of[cur];
			int16_t		tb,
						ts;
			uint32_t	tg;

			moved[cur] = true;
			if (dst == s)
			{
				memcpy(&RAW(s, 0), carry, sizeof(carry));
				out_best[s] = cb;
				out_strong[s] = cs;
				out_signs[s] = cg;
				break;
			}
			/* pick up the row that lives at dst, put the carried one there */
			memcpy(tmp, &RAW(dst, 0), sizeof(tmp));
			tb = out_best[dst];
			ts = out_strong[dst];
			tg = out_signs[dst];
			memcpy(&RAW(dst, 0), carry, sizeof(carry));
			out_best[dst] = cb;
			out_strong[dst] = cs;
			out_signs[dst] = cg;
			memcpy(carry, tmp, sizeof(carry));
			cb = tb;
			cs = ts;
			cg = tg;
			cur = dst;
		}
	}
	for (k = 0; k < (size_t) num_states * NSYM_RAW; k++)
		tbl.raw[k] = new_of[tbl.raw[k]];
}

/*
 * Compact the complete automaton to the symbols phrases use: symbol 0
 * becomes "in no phrase" (its column is all root), 1 stays the separator,
 * and every other used raw symbol gets the next number.  Rows are rewritten
 * in place front to back, which is safe as a row never moves past the
 * start of a row not yet read.  Then the entries are widened to row
 * offsets, back to front for the same reason.
 */
static void
compact_symbols(void)
{
	uint8_t		map[NSYM_RAW];
	int			raw_of[NSYM_RAW];
	uint16_t	row[NSYM_RAW];
	int			n = 2;
	int			s,
				c,
				k;
	size_t		i;

	raw_of[SYM_OTHER] = -1;
	raw_of[SYM_SEP] = SYM_SEP;
	map[SYM_SEP] = SYM_SEP;
	for (c = 0; c < NSYM_RAW; c++)
	{
		if (c == SYM_SEP)
			continue;
		if (sym_used[c])
		{
			map[c] = (uint8_t) n;
			raw_of[n++] = c;
		}
		else
			map[c] = SYM_OTHER;
	}
	for (s = 0; s < num_states; s++)
	{
		memcpy(row, &RAW(s, 0), sizeof(row));
		for (k = 0; k < n; k++)
			tbl.raw[(size_t) s * n + k] = raw_of[k] < 0 ? 0 : row[raw_of[k]];
	}
	for (c = 0; c < 256; c++)
		sym_of[c] = map[sym_of[c]];
	nsym = n;

	/* entry i (2 bytes at 2i) becomes 4 bytes at 4i: only entries >= i are hit */
	for (i = (size_t) num_states * n; i-- > 0;)
	{
		uint32_t	v = tbl.raw[i];

		tbl.dfa[i] = v * (uint32_t) n;
	}
	accept_off *= (uint32_t) n;
}

/*
 * Build the automaton: trie of all phrases, then failure links in BFS
 * order, turning the trie into a complete DFA and merging each state's
 * outputs with those of its failure state; then renumber the states and
 * compact the table into the layout the scan reads.
 */
void
bounce_phrases_build(void)
{
	static uint16_t queue[MAX_STATES];
	int			head = 0,
				tail = 0;
	int			i,
				c;

	if (built)
		return;
	build_symbols();
	memset(&RAW(0, 0), 0xFF, NSYM_RAW * sizeof(tbl.raw[0]));
	out_best[0] = -1;
	out_strong[0] = -1;
	out_signs[0] = 0;
	num_states = 1;
	build_trie();

	fail_of[0] = 0;
	for (c = 0; c < NSYM_RAW; c++)
	{
		uint16_t	t = RAW(0, c);

		if (t == NO_STATE)
			RAW(0, c) = 0;
		else
		{
			fail_of[t] = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail)
	{
		int			s = queue[head++];
		int			f = fail_of[s];

		if (better(out_best[f], out_best[s]))
			out_best[s] = out_best[f];
		if (better(out_strong[f], out_strong[s]))
			out_strong[s] = out_strong[f];
		out_signs[s] |= out_signs[f];
		for (c = 0; c < NSYM_RAW; c++)
		{
			uint16_t	t = RAW(s, c);

			if (t == NO_STATE)
				RAW(s, c) = RAW(f, c);
			else
			{
				fail_of[t] = RAW(f, c);
				queue[tail++] = t;
			}
		}
	}

	/*
	 * Fold runs of separators inside the DFA: a separator read in a state
	 * entered by a separator changes nothing, so it loops.  The scan loop
	 * then needs no look-behind.
	 */
	for (i = 1; i < num_states; i++)
	{
		if (last_sym[i] == SYM_SEP)
			RAW(i, SYM_SEP) = (uint16_t) i;
	}
	order_states();
	compact_symbols();
	code_set_build(&ja_set, PHRASE_JA, &ja_folder, BOUNCE_JA_ISO2022_UTF8);
	code_set_build(&uni_set, PHRASE_UNI, &sc_folder, BOUNCE_SC_UTF8);
	built = true;
}

/* Running result of a scan: the best and best strong phrase so far. */
typedef struct scan_acc
{
	int			best;
	int			strong;
	uint32_t	signs;
} scan_acc;

/*
 * Take the outputs of the state at row offset off (one with outputs,
 * off >= accept_off) into the result.  Strictly higher priority only:
 * ties keep the earliest.
 */
static inline void
take_outputs(uint32_t off, scan_acc *acc)
{
	int			st = (int) (off / (uint32_t) nsym);
	int			o = out_best[st];

	acc->signs |= out_signs[st];
	if (o < 0)
		return;					/* signs only */
	if (acc->best < 0 || phrases[o].prio > phrases[acc->best].prio)
		acc->best = o;
	o = out_strong[st];
	if (o >= 0 && (acc->strong < 0 || phrases[o].prio > phrases[acc->strong].prio))
		acc->strong = o;
}

/* Take trie entry i (a Japanese phrase, or one of another script, that matched) into the result. */
static void
entry_take(int i, scan_acc *acc)
{
	if (i >= NUM_PHRASES)
	{
		acc->signs |= sign_phrases[i - NUM_PHRASES].signs;
		return;
	}
	if (acc->best < 0 || phrases[i].prio > phrases[acc->best].prio)
		acc->best = i;
	if ((phrases[i].flags & PHRASE_STRONG) &&
		(acc->strong < 0 || phrases[i].prio > phrases[acc->strong].prio))
		acc->strong = i;
}

/*
 * Match cs's phrases against s[0..n) in one reading.  The codes are
 * folded a block at a time; the last CS_MAX_LEN - 1 codes of a block are
 * kept before the next, so a phrase across the cut is still seen.
 */
static void
code_set_scan(const code_set *cs, const code_folder *fd, const unsigned char *s, size_t n,
			  int reading, scan_acc *acc)
{
	any_fold	f;
	uint16_t	buf[CS_MAX_LEN - 1 + CS_BLOCK];
	size_t		keep = 0,
				got;

	fd->init(&f, (const char *) s, n, reading);
	while ((got = fd->next(&f, buf + keep, CS_BLOCK)) > 0)
	{
		size_t		total = keep + got;
		size_t		p;

		for (p = 0; p < total; p++)
		{
			int			r;
			int			lo;

			if (!(cs->first[buf[p] >> 3] & (1u << (buf[p] & 7))))
				continue;
			r = bounce_code_find(cs->runs, cs->nruns, buf[p]);
			if (r < 0)
				continue;
			for (lo = cs->runs[r][1]; lo < cs->runs[r + 1][1]; lo++)
			{
				int			j = cs->order[lo];

				if (p + cs->len[j] <= total &&
					memcmp(cs->codes[j], buf + p, cs->len[j] * sizeof(buf[0])) == 0)
					entry_take(cs->entry[j], acc);
			}
		}
		keep = total < CS_MAX_LEN - 1 ? total : CS_MAX_LEN - 1;
		memmove(buf, buf + total - keep, keep * sizeof(buf[0]));
	}
}

/* Match the Japanese phrases against s[0..n), in each reading its bytes allow. */
static void
ja_scan(const unsigned char *s, size_t n, unsigned readings, scan_acc *acc)
{
	int			r;

	for (r = BOUNCE_JA_ISO2022_UTF8; r <= BOUNCE_JA_SJIS; r <<= 1)
		if (readings & (unsigned) r)
			code_set_scan(&ja_set, &ja_folder, s, n, r, acc);
}

/* True when a quarter of the bytes >= 0x80 of s[0..n) start a Shift_JIS or EUC-JP kana. */
static bool
mostly_kana(const unsigned char *s, size_t n)
{
	size_t		high = 0;
	size_t		kana = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		if (s[i] < 0x80)
			continue;
		high++;
		if (i + 1 < n &&
			((s[i] == 0xA4 && s[i + 1] >= 0xA1 && s[i + 1] <= 0xF3) ||
			 (s[i] == 0xA5 && s[i + 1] >= 0xA1 && s[i + 1] <= 0xF6) ||
			 (s[i] == 0x82 && s[i + 1] >= 0x9F && s[i + 1] <= 0xF1) ||
			 (s[i] == 0x83 && s[i + 1] >= 0x40 && s[i + 1] <= 0x96)))
		{
			kana += 2;
			i++;
			high++;
		}
	}
	return kana * 4 >= high;
}

/* Match the phrases of other scripts against s[0..n), in each reading its bytes allow. */
static void
uni_scan(const unsigned char *s, size_t n, unsigned ja_readings, scan_acc *acc)
{
	unsigned	readings = bounce_sc_readings((const char *) s, n);
	int			r;

	/*
	 * A text whose bytes are mostly kana in Shift_JIS or EUC-JP is
	 * Japanese, in no charset of these scripts.  One such byte pair is
	 * not enough: Thai in TIS-620 and Chinese in Big5 have them too.
	 */
	if ((ja_readings & (BOUNCE_JA_EUC | BOUNCE_JA_SJIS)) && readings != 0 && mostly_kana(s, n))
		readings &= 1u << BOUNCE_SC_UTF8;

	for (r = 0; readings != 0 && r < BOUNCE_SC_NREADINGS; r++)
		if (readings & (1u << r))
			code_set_scan(&uni_set, &sc_folder, s, n, r, acc);
}

/* True when u[0..n) holds a byte >= 0x80. */
static bool
has_high_byte(const unsigned char *u, size_t n)
{
	size_t		i = 0;
	uint64_t	w;

	for (; n - i >= 8; i += 8)
	{
		memcpy(&w, u + i, 8);
		if ((w & UINT64_C(0x8080808080808080)) != 0)
			return true;
	}
	for (; i < n; i++)
		if (u[i] >= 0x80)
			return true;
	return false;
}

/* One transition: an add and a load (sym_of is off the dependency chain). */
#define STEP(off, c)	tbl.dfa[(off) + sym_of[(c)]]

/* Scan u[0..n) one byte at a time from row offset off; returns the last. */
static uint32_t
scan_serial(const unsigned char *u, size_t n, uint32_t off, scan_acc *acc)
{
	const uint32_t acc_off = accept_off;
	size_t		k;

	for (k = 0; k < n; k++)
	{
		off = STEP(off, u[k]);
		if (off >= acc_off)
			take_outputs(off, acc);
	}
	return off;
}

/*
 * The scan is a chain of dependent table loads, one per byte, so its speed
 * is the load latency, not the work.  So longer texts are cut in blocks of
 * up to SCAN_BLOCK bytes, and each block in 4 (or 2) segments read by
 * interleaved walks whose loads overlap.  Walk 0 starts in the true state;
 * walk j > 0 starts at the root SCAN_WARMUP bytes before its segment.  Each
 * walk records its state after every byte; outputs are taken afterwards,
 * in text order, so the result is exactly that of one walk.
 *
 * The automaton is deterministic: once the true state at some byte equals
 * a walk's recorded state there, that walk's later states are all true.
 * The state depends only on the last few symbols, so the walks almost
 * always agree at the start of their segment; when they do not, the true
 * state is stepped byte by byte into the segment until they meet (or to
 * its end).
 */
#define SCAN_BLOCK		512
#define SCAN_WARMUP		12
#define SCAN_MIN_SPLIT4 80		/* blocks this long are read by 4 walks */
#define SCAN_MIN_SPLIT2 32		/* shorter ones by 2, shorter still by one */
/* bytes one walk reads at most: a quarter block, or a whole 2-walk block */
#define SCAN_WAY_MAX	(SCAN_BLOCK / 4 + SCAN_WARMUP + 4 > SCAN_MIN_SPLIT4 ? \
						 SCAN_BLOCK / 4 + SCAN_WARMUP + 4 : SCAN_MIN_SPLIT4)

/* Take the outputs of the recorded states rec[0..n). */
static inline void
take_recorded(const uint32_t *rec, size_t n, scan_acc *acc)
{
	const uint32_t acc_off = accept_off;
	size_t		k;

	for (k = 0; k < n; k++)
	{
		if (rec[k] >= acc_off)
			take_outputs(rec[k], acc);
	}
}

/*
 * Take the outputs of a block u[0..n) read by 'ways' walks (see above):
 * segment j is u[b_j..b_j+1) with b_0 = 0, b_j = j * seg + SCAN_WARMUP,
 * b_ways = n; walk j read from b_j - SCAN_WARMUP (walk 0 from 0, in the
 * true state), 'len' bytes, the last walk len_last bytes, and left its
 * states in rec[j].  Returns the true state at the end of the block.
 */
static uint32_t
resolve_walks(const unsigned char *u, size_t n, int ways, size_t seg,
			  uint32_t rec[][SCAN_WAY_MAX], size_t len, size_t len_last,
			  scan_acc *acc)
{
	const uint32_t acc_off = accept_off;
	uint32_t	off = rec[0][len - 1];	/* the true state at b_1 */
	int			j;

	take_recorded(rec[0], len, acc);
	for (j = 1; j < ways; j++)
	{
		size_t		b = j * seg + SCAN_WARMUP;	/* segment start */
		size_t		e = j < ways - 1 ? b + seg : n; /* segment end */
		size_t		wlen = j < ways - 1 ? len : len_last;
		size_t		i = SCAN_WARMUP - 1;	/* rec[j][i] is walk j's state at b */

		while (b < e && off != rec[j][i])
		{
			off = STEP(off, u[b]);
			if (off >= acc_off)
				take_outputs(off, acc);
			b++;
			i++;
		}
		if (b < e)
		{
			/* met: the rest of the segment is walk j's */
			take_recorded(rec[j] + i + 1, wlen - i - 1, acc);
			off = rec[j][wlen - 1];
		}
	}
	return off;
}

/* Scan a block u[0..n), SCAN_MIN_SPLIT4 <= n <= SCAN_BLOCK, with 4 walks. */
static uint32_t
scan_split4(const unsigned char *u, size_t n, uint32_t off, scan_acc *acc)
{
	uint32_t	rec[4][SCAN_WAY_MAX];
	size_t		seg = (n - SCAN_WARMUP) / 4;
	size_t		len = seg + SCAN_WARMUP;	/* bytes read by walks 0..2 */
	size_t		len_last = n - 3 * seg; /* bytes read by walk 3 */
	const unsigned char *u1 = u + seg;
	const unsigned char *u2 = u + 2 * seg;
	const unsigned char *u3 = u + 3 * seg;
	uint32_t	s0 = off,
				s1 = 0,
				s2 = 0,
				s3 = 0;
	size_t		k;

	for (k = 0; k < len; k++)
	{
		s0 = STEP(s0, u[k]);
		s1 = STEP(s1, u1[k]);
		s2 = STEP(s2, u2[k]);
		s3 = STEP(s3, u3[k]);
		rec[0][k] = s0;
		rec[1][k] = s1;
		rec[2][k] = s2;
		rec[3][k] = s3;
	}
	for (; k < len_last; k++)
	{
		s3 = STEP(s3, u3[k]);
		rec[3][k] = s3;
	}
	return resolve_walks(u, n, 4, seg, rec, len, len_last, acc);
}

/* Scan a block u[0..n), SCAN_MIN_SPLIT2 <= n < SCAN_MIN_SPLIT4, with 2 walks. */
static uint32_t
scan_split2(const unsigned char *u, size_t n, uint32_t off, scan_acc *acc)
{
	uint32_t	rec[2][SCAN_WAY_MAX];
	size_t		seg = (n - SCAN_WARMUP) / 2;
	size_t		len = seg + SCAN_WARMUP;	/* bytes read by walk 0 */
	size_t		len_last = n - seg; /* bytes read by walk 1 */
	const unsigned char *u1 = u + seg;
	uint32_t	s0 = off,
				s1 = 0;
	size_t		k;

	for (k = 0; k < len; k++)
	{
		s0 = STEP(s0, u[k]);
		s1 = STEP(s1, u1[k]);
		rec[0][k] = s0;
		rec[1][k] = s1;
	}
	for (; k < len_last; k++)
	{
		s1 = STEP(s1, u1[k]);
		rec[1][k] = s1;
	}
	return resolve_walks(u, n, 2, seg, rec, len, len_last, acc);
}

/*
 * Match every phrase against s[0..len) in one pass.  A virtual separator
 * before and after the text lets word-bounded phrases match at its ends.
 */
void
bounce_phrases_scan(const char *s, size_t len, bounce_phrase_match *m)
{
	const unsigned char *u = (const unsigned char *) s;
	scan_acc	acc;
	size_t		pos = 0;
	uint32_t	off;

	if (!built)
		bounce_phrases_build();
	acc.best = -1;
	acc.strong = -1;
	acc.signs = 0;
	/* no text (NULL, 0): u + pos below would offset a null pointer */
	if (len == 0)
		u = (const unsigned char *) "";
	off = tbl.dfa[SYM_SEP];		/* the root after the virtual separator */
	while (len - pos >= SCAN_MIN_SPLIT4)
	{
		size_t		n = len - pos < SCAN_BLOCK ? len - pos : SCAN_BLOCK;

		off = scan_split4(u + pos, n, off, &acc);
		pos += n;
	}
	if (len - pos >= SCAN_MIN_SPLIT2)
	{
		off = scan_split2(u + pos, len - pos, off, &acc);
		pos = len;
	}
	off = scan_serial(u + pos, len - pos, off, &acc);
	/* then one virtual separator after the text */
	off = tbl.dfa[off + SYM_SEP];
	if (off >= accept_off)
		take_outputs(off, &acc);
	/*
	 * Japanese and the other scripts need a byte >= 0x80, or for
	 * ISO-2022-JP an ESC: most texts have neither, and are looked at once
	 * more, eight bytes at a time
	 */
	if (len > 0 && (ja_set.n > 0 || uni_set.n > 0))
	{
		bool		high = has_high_byte(u, len);
		unsigned	ja = high || memchr(u, 0x1B, len) != NULL ? bounce_ja_readings(s, len) : 0;

		if (ja_set.n > 0 && ja != 0)
			ja_scan(u, len, ja, &acc);
		if (uni_set.n > 0 && high)
			uni_scan(u, len, ja, &acc);
	}
	m->best = acc.best;
	m->best_strong = acc.strong;
	m->signs = acc.signs;
}

/* Phrase by index, NULL when out of range. */
const bounce_phrase *
bounce_phrase_get(int idx)
{
	if (idx < 0 || idx >= NUM_PHRASES)
		return NULL;
	return &phrases[idx];
}

/* Number of phrases in the table. */
int
bounce_phrase_count(void)
{
	return NUM_PHRASES;
}

/* Sign phrase by index, NULL when out of range. */
const bounce_sign_phrase *
bounce_sign_phrase_get(int idx)
{
	if (idx < 0 || idx >= NUM_SIGNS)
		return NULL;
	return &sign_phrases[idx];
}

/* Number of sign phrases. */
int
bounce_sign_phrase_count(void)
{
	return NUM_SIGNS;
}

/* Does every sign phrase giving 'sign' hold 'word'? See phrases.h. */
bool
bounce_sign_needs_word(uint32_t sign, const char *word)
{
	int			i;

	for (i = 0; i < NUM_SIGNS; i++)
		if ((sign_phrases[i].signs & sign) != 0 && strstr(sign_phrases[i].text, word) == NULL)
			return false;
	return true;
}

/* Number of automaton states (builds it if needed); -1 if phrases were dropped. */
int
bounce_phrase_states(void)
{
	if (!built)
		bounce_phrases_build();
	return overflow ? -1 : num_states;
}
