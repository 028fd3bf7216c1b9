/** Where the share-link page's copy script is served (an external script: the pages allow no inline code but by nonce). */
export const COPY_LINK_SCRIPT_PATH = '/holder/static/copy-link.js'

/**
 * The new share link's Copy button: shown only when the script runs (the page says to select and
 * copy the link without it), it copies the link to the clipboard and says so in its live region;
 * when the clipboard is refused it selects the link instead, for the holder to copy. Focusing the
 * field selects the link too. Texts come from the button's `data-` attributes, in its language.
 */
export const COPY_LINK_SCRIPT = `(function(){
var field=document.getElementById('share-url'),button=document.getElementById('copy-link'),out=document.getElementById('copy-status');
if(!field||!button||!out)return;
function select(){field.focus();field.select();}
field.addEventListener('focus',function(){field.select();});
button.hidden=false;
button.addEventListener('click',function(){
if(!navigator.clipboard){select();out.textContent=button.dataset.manual;return;}
navigator.clipboard.writeText(field.value).then(function(){out.textContent=button.dataset.copied;},function(){select();out.textContent=button.dataset.manual;});
});
})();
`
