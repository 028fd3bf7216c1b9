/** Cookie in which the holder's browser tells its IANA time zone (not personal: read only to write times). */
export const TIME_ZONE_COOKIE = 'credport_tz'

/** Where the script that sets it is served (an external script: the pages allow no inline code but by nonce). */
export const TIME_ZONE_SCRIPT_PATH = '/holder/static/time-zone.js'

/**
 * Stores `Intl…timeZone` in `TIME_ZONE_COOKIE` for a year, so pages rendered after this one
 * write times in the holder's zone. Nothing else: no request, no DOM change.
 */
export const TIME_ZONE_SCRIPT = `(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;
if(z&&/^[A-Za-z][A-Za-z0-9_+\\-/]{0,63}$/.test(z))document.cookie='${TIME_ZONE_COOKIE}='+z+'; path=/holder; max-age=31536000; samesite=lax'+(location.protocol==='https:'?'; secure':'');}catch(e){}})();
`
