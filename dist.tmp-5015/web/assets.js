// ../../work/wt/h-studio/src/web/assets.ts
import { createHash } from "node:crypto";
var TIMEZONE_SCRIPT = "(function(){try{var u=new URL(location.href);if(u.searchParams.has('status')){u.searchParams.delete('status');history.replaceState(null,'',u.pathname+u.search+u.hash);}var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(!z)return;document.querySelectorAll('input[type=hidden][name=timezone]').forEach(function(i){if(!i.value)i.value=z;});document.querySelectorAll('select[data-browser-zone]').forEach(function(s){for(var i=0;i<s.options.length;i++){var o=s.options[i];if(o.value===z||(' '+(o.getAttribute('data-alias')||'')+' ').indexOf(' '+z+' ')>=0){s.selectedIndex=i;break;}}});}catch(e){}})();";
var TIMEZONE_SCRIPT_HASH = `sha256-${createHash("sha256").update(TIMEZONE_SCRIPT).digest("base64")}`;
function siteCss(brand) {
  return `:root{--brand:${brand};--text:#1f2933;--muted:#3e4c59;--line:#cbd2d9;--bg:#f5f7fa;--danger:#b42318}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
a{color:var(--brand);text-underline-offset:2px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
/* The masthead's text lines up with the centred content column at any width. */
.masthead{background:var(--brand);color:#fff;padding:.9rem max(1.25rem,calc((100% - 36rem) / 2 + 1.25rem))}
.masthead a{color:#fff;font-weight:700;text-decoration:none;font-size:1.125rem}
main{max-width:36rem;margin:0 auto;padding:1.5rem 1.25rem 2rem;background:#fff;min-height:60vh}
/* A short page (check your inbox, you are in): a card that fits what it says, set apart from the masthead on a wide screen. */
main.card{min-height:0;margin:2.5rem auto;padding:1.75rem calc(1.25rem - 1px);border:1px solid var(--line);border-radius:8px}
main.card>:last-child{margin-bottom:0}
main.card h1{margin-top:0}
@media (max-width:40rem){main.card{margin:0 auto;padding:1.5rem 1.25rem 1.75rem;border:0;border-radius:0}}
.status-icon{display:block;color:var(--brand);margin:0 0 .75rem}
.status-icon circle{fill:#e4eef5}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem;color:var(--text)}
h2{font-size:1.25rem;margin:2rem 0 .5rem}
.lead{font-size:1.125rem;color:var(--muted)}
.field{margin:1rem 0}
label{display:block;font-weight:600;margin-bottom:.25rem}
.optional,.hint{font-weight:400;color:var(--muted)}
.hint{display:block;font-size:.9375rem}
input[type=email],input[type=text],input[type=time],select{width:100%;font:inherit;padding:.65rem .75rem;border:2px solid #7b8794;border-radius:6px;background:#fff;color:var(--text)}
input[aria-invalid=true]{border-color:var(--danger)}
.error{color:var(--danger);font-weight:600;margin:.25rem 0}
.notice{border-left:4px solid var(--brand);background:#eef4f8;padding:.75rem 1rem;margin:1rem 0}
button{font:inherit;font-weight:700;cursor:pointer;border-radius:6px;padding:.75rem 1.25rem;border:2px solid var(--brand);background:var(--brand);color:#fff;min-height:44px}
button.secondary{background:#fff;color:var(--brand)}
button.danger{background:var(--danger);border-color:var(--danger)}
.lead strong{color:var(--text)}
label.sub{font-weight:400;margin-top:.5rem}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
.check input{width:1.25rem;height:1.25rem;margin-top:.2rem}
form.inline{margin:.75rem 0}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
footer{max-width:36rem;margin:0 auto;padding:1rem 1.25rem 2rem;color:var(--muted);font-size:.9375rem}
ul{padding-left:1.25rem}
fieldset.choices{border:0;padding:0;margin:1rem 0}
fieldset.choices legend{font-weight:700;font-size:1.125rem;margin-bottom:.5rem}
fieldset.choices .check{margin:.5rem 0}
.feedback{border-top:1px solid var(--line);margin-top:2rem;padding-top:1rem}
.feedback form.inline button{margin-right:.5rem}
`;
}
function faviconSvg(brand) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${brand}"/><path d="M20 7a10 10 0 1 0 6 15A8 8 0 0 1 20 7z" fill="#fff"/></svg>`;
}
export {
  TIMEZONE_SCRIPT,
  TIMEZONE_SCRIPT_HASH,
  faviconSvg,
  siteCss
};
//# sourceMappingURL=assets.js.map
