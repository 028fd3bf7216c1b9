/** Cookie in which the holder's browser tells its IANA time zone (not personal: read only to write times). */
export const TIME_ZONE_COOKIE = 'credport_tz'
/** How long it is kept, in seconds (a year); the script renews it on every signed-in page. */
export const TIME_ZONE_COOKIE_MAX_AGE = 31_536_000
/** Where it is sent: the holder pages only. */
export const TIME_ZONE_COOKIE_PATH = '/holder'

/** Where the script that sets it is served (an external script: the pages allow no inline code but by nonce). */
export const TIME_ZONE_SCRIPT_PATH = '/holder/static/time-zone.js'

/**
 * Stores `Intl…timeZone` in `TIME_ZONE_COOKIE` for a year, so pages rendered after this one
 * write times in the holder's zone. Nothing else: no request, no DOM change. The landing page's
 * hand-off posts the same zone, and the server sets the same cookie (`rememberTimeZone`), so the
 * first review after signing in already knows it.
 */
export const TIME_ZONE_SCRIPT = `(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;
if(z&&/^[A-Za-z][A-Za-z0-9_+\\-/]{0,63}$/.test(z))document.cookie='${TIME_ZONE_COOKIE}='+z+'; path=${TIME_ZONE_COOKIE_PATH}; max-age=${TIME_ZONE_COOKIE_MAX_AGE}; samesite=lax'+(location.protocol==='https:'?'; secure':'');}catch(e){}})();
`
