/** Where the review page's selection script is served (an external script: the pages allow no inline code but by nonce). */
export const REVIEW_SELECTION_SCRIPT_PATH = '/holder/static/review-selection.js'

/**
 * Keeps the review's decision in step with the checkboxes, as the holder ticks and unticks them:
 * the accept button says how many will be accepted ("Accept 8 credentials", or "Continue: decline
 * all" when none is), and the live region below it says "Accept 8, decline 2" (empty while every
 * credential is selected). Texts come from the live region's `data-` attributes, in its language. Without
 * the script the page works as well: the confirmation step says the same before anything happens.
 */
export const REVIEW_SELECTION_SCRIPT = `(function(){
var form=document.getElementById('accept-form'),out=document.getElementById('selection');
if(!form||!out)return;
var button=form.querySelector('button'),rules=new Intl.PluralRules(document.documentElement.lang);
var boxes=[].slice.call(document.querySelectorAll('input[name="item"][form="accept-form"]'));
function fill(t,v){return String(t||'').replace(/\\{(\\w+)\\}/g,function(m,k){return k in v?String(v[k]):m;});}
function update(){
var a=boxes.filter(function(b){return b.checked;}).length,d=boxes.length-a;
out.textContent=d===0?'':a===0?out.dataset.none:fill(out.dataset.summary,{accepted:a,declined:d});
var o=out.dataset;button.textContent=a===0?o.acceptNone:fill(rules.select(a)==='one'?o.acceptOne:o.acceptOther,{count:a});
}
boxes.forEach(function(b){b.addEventListener('change',update);});
update();
})();
`
