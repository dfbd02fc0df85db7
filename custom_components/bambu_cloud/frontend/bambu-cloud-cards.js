// bambu-cloud-cards source-hash: cf8ff2e19365dab0eb3fd6e11832316d58d3e64af92917862cb0169ccab964f7
var V=globalThis,q=V.ShadowRoot&&(V.ShadyCSS===void 0||V.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ie=Symbol(),ve=new WeakMap,R=class{constructor(e,t,i){if(this._$cssResult$=!0,i!==ie)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(q&&e===void 0){let i=t!==void 0&&t.length===1;i&&(e=ve.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),i&&ve.set(t,e))}return e}toString(){return this.cssText}},$e=r=>new R(typeof r=="string"?r:r+"",void 0,ie),f=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((i,n,s)=>i+(a=>{if(a._$cssResult$===!0)return a.cssText;if(typeof a=="number")return a;throw Error("Value passed to 'css' function must be a 'css' function result: "+a+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+r[s+1],r[0]);return new R(t,r,ie)},xe=(r,e)=>{if(q)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let i=document.createElement("style"),n=V.litNonce;n!==void 0&&i.setAttribute("nonce",n),i.textContent=t.cssText,r.appendChild(i)}},re=q?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let i of e.cssRules)t+=i.cssText;return $e(t)})(r):r;var{is:Xe,defineProperty:et,getOwnPropertyDescriptor:tt,getOwnPropertyNames:it,getOwnPropertySymbols:rt,getPrototypeOf:nt}=Object,J=globalThis,ke=J.trustedTypes,st=ke?ke.emptyScript:"",at=J.reactiveElementPolyfillSupport,H=(r,e)=>r,ne={toAttribute(r,e){switch(e){case Boolean:r=r?st:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},we=(r,e)=>!Xe(r,e),Se={attribute:!0,type:String,converter:ne,reflect:!1,useDefault:!1,hasChanged:we};Symbol.metadata??=Symbol("metadata"),J.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=Se){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let i=Symbol(),n=this.getPropertyDescriptor(e,i,t);n!==void 0&&et(this.prototype,e,n)}}static getPropertyDescriptor(e,t,i){let{get:n,set:s}=tt(this.prototype,e)??{get(){return this[t]},set(a){this[t]=a}};return{get:n,set(a){let d=n?.call(this);s?.call(this,a),this.requestUpdate(e,d,i)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??Se}static _$Ei(){if(this.hasOwnProperty(H("elementProperties")))return;let e=nt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(H("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(H("properties"))){let t=this.properties,i=[...it(t),...rt(t)];for(let n of i)this.createProperty(n,t[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[i,n]of t)this.elementProperties.set(i,n)}this._$Eh=new Map;for(let[t,i]of this.elementProperties){let n=this._$Eu(t,i);n!==void 0&&this._$Eh.set(n,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let i=new Set(e.flat(1/0).reverse());for(let n of i)t.unshift(re(n))}else e!==void 0&&t.push(re(e));return t}static _$Eu(e,t){let i=t.attribute;return i===!1?void 0:typeof i=="string"?i:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let i of t.keys())this.hasOwnProperty(i)&&(e.set(i,this[i]),delete this[i]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return xe(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,i){this._$AK(e,i)}_$ET(e,t){let i=this.constructor.elementProperties.get(e),n=this.constructor._$Eu(e,i);if(n!==void 0&&i.reflect===!0){let s=(i.converter?.toAttribute!==void 0?i.converter:ne).toAttribute(t,i.type);this._$Em=e,s==null?this.removeAttribute(n):this.setAttribute(n,s),this._$Em=null}}_$AK(e,t){let i=this.constructor,n=i._$Eh.get(e);if(n!==void 0&&this._$Em!==n){let s=i.getPropertyOptions(n),a=typeof s.converter=="function"?{fromAttribute:s.converter}:s.converter?.fromAttribute!==void 0?s.converter:ne;this._$Em=n;let d=a.fromAttribute(t,s.type);this[n]=d??this._$Ej?.get(n)??d,this._$Em=null}}requestUpdate(e,t,i,n=!1,s){if(e!==void 0){let a=this.constructor;if(n===!1&&(s=this[e]),i??=a.getPropertyOptions(e),!((i.hasChanged??we)(s,t)||i.useDefault&&i.reflect&&s===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,i))))return;this.C(e,t,i)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:i,reflect:n,wrapped:s},a){i&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),s!==!0||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||i||(t=void 0),this._$AL.set(e,t)),n===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,s]of this._$Ep)this[n]=s;this._$Ep=void 0}let i=this.constructor.elementProperties;if(i.size>0)for(let[n,s]of i){let{wrapped:a}=s,d=this[n];a!==!0||this._$AL.has(n)||d===void 0||this.C(n,void 0,s,d)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(i=>i.hostUpdate?.()),this.update(t)):this._$EM()}catch(i){throw e=!1,this._$EM(),i}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[H("elementProperties")]=new Map,_[H("finalized")]=new Map,at?.({ReactiveElement:_}),(J.reactiveElementVersions??=[]).push("2.1.2");var pe=globalThis,Ae=r=>r,Z=pe.trustedTypes,Ee=Z?Z.createPolicy("lit-html",{createHTML:r=>r}):void 0,Pe="$lit$",x=`lit$${Math.random().toFixed(9).slice(2)}$`,Me="?"+x,ot=`<${Me}>`,E=document,O=()=>E.createComment(""),N=r=>r===null||typeof r!="object"&&typeof r!="function",ue=Array.isArray,ct=r=>ue(r)||typeof r?.[Symbol.iterator]=="function",se=`[ 	
\f\r]`,D=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ze=/-->/g,Ce=/>/g,w=RegExp(`>|${se}(?:([^\\s"'>=/]+)(${se}*=${se}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Te=/'/g,je=/"/g,Be=/^(?:script|style|textarea|title)$/i,me=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),o=me(1),G=me(2),zt=me(3),z=Symbol.for("lit-noChange"),l=Symbol.for("lit-nothing"),Le=new WeakMap,A=E.createTreeWalker(E,129);function Re(r,e){if(!ue(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return Ee!==void 0?Ee.createHTML(e):e}var dt=(r,e)=>{let t=r.length-1,i=[],n,s=e===2?"<svg>":e===3?"<math>":"",a=D;for(let d=0;d<t;d++){let c=r[d],u,m,p=-1,y=0;for(;y<c.length&&(a.lastIndex=y,m=a.exec(c),m!==null);)y=a.lastIndex,a===D?m[1]==="!--"?a=ze:m[1]!==void 0?a=Ce:m[2]!==void 0?(Be.test(m[2])&&(n=RegExp("</"+m[2],"g")),a=w):m[3]!==void 0&&(a=w):a===w?m[0]===">"?(a=n??D,p=-1):m[1]===void 0?p=-2:(p=a.lastIndex-m[2].length,u=m[1],a=m[3]===void 0?w:m[3]==='"'?je:Te):a===je||a===Te?a=w:a===ze||a===Ce?a=D:(a=w,n=void 0);let $=a===w&&r[d+1].startsWith("/>")?" ":"";s+=a===D?c+ot:p>=0?(i.push(u),c.slice(0,p)+Pe+c.slice(p)+x+$):c+x+(p===-2?d:$)}return[Re(r,s+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),i]},U=class r{constructor({strings:e,_$litType$:t},i){let n;this.parts=[];let s=0,a=0,d=e.length-1,c=this.parts,[u,m]=dt(e,t);if(this.el=r.createElement(u,i),A.currentNode=this.el.content,t===2||t===3){let p=this.el.content.firstChild;p.replaceWith(...p.childNodes)}for(;(n=A.nextNode())!==null&&c.length<d;){if(n.nodeType===1){if(n.hasAttributes())for(let p of n.getAttributeNames())if(p.endsWith(Pe)){let y=m[a++],$=n.getAttribute(p).split(x),K=/([.?@])?(.*)/.exec(y);c.push({type:1,index:s,name:K[2],strings:$,ctor:K[1]==="."?oe:K[1]==="?"?ce:K[1]==="@"?de:T}),n.removeAttribute(p)}else p.startsWith(x)&&(c.push({type:6,index:s}),n.removeAttribute(p));if(Be.test(n.tagName)){let p=n.textContent.split(x),y=p.length-1;if(y>0){n.textContent=Z?Z.emptyScript:"";for(let $=0;$<y;$++)n.append(p[$],O()),A.nextNode(),c.push({type:2,index:++s});n.append(p[y],O())}}}else if(n.nodeType===8)if(n.data===Me)c.push({type:2,index:s});else{let p=-1;for(;(p=n.data.indexOf(x,p+1))!==-1;)c.push({type:7,index:s}),p+=x.length-1}s++}}static createElement(e,t){let i=E.createElement("template");return i.innerHTML=e,i}};function C(r,e,t=r,i){if(e===z)return e;let n=i!==void 0?t._$Co?.[i]:t._$Cl,s=N(e)?void 0:e._$litDirective$;return n?.constructor!==s&&(n?._$AO?.(!1),s===void 0?n=void 0:(n=new s(r),n._$AT(r,t,i)),i!==void 0?(t._$Co??=[])[i]=n:t._$Cl=n),n!==void 0&&(e=C(r,n._$AS(r,e.values),n,i)),e}var ae=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:i}=this._$AD,n=(e?.creationScope??E).importNode(t,!0);A.currentNode=n;let s=A.nextNode(),a=0,d=0,c=i[0];for(;c!==void 0;){if(a===c.index){let u;c.type===2?u=new F(s,s.nextSibling,this,e):c.type===1?u=new c.ctor(s,c.name,c.strings,this,e):c.type===6&&(u=new le(s,this,e)),this._$AV.push(u),c=i[++d]}a!==c?.index&&(s=A.nextNode(),a++)}return A.currentNode=E,n}p(e){let t=0;for(let i of this._$AV)i!==void 0&&(i.strings!==void 0?(i._$AI(e,i,t),t+=i.strings.length-2):i._$AI(e[t])),t++}},F=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,i,n){this.type=2,this._$AH=l,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=i,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=C(this,e,t),N(e)?e===l||e==null||e===""?(this._$AH!==l&&this._$AR(),this._$AH=l):e!==this._$AH&&e!==z&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):ct(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==l&&N(this._$AH)?this._$AA.nextSibling.data=e:this.T(E.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:i}=e,n=typeof i=="number"?this._$AC(e):(i.el===void 0&&(i.el=U.createElement(Re(i.h,i.h[0]),this.options)),i);if(this._$AH?._$AD===n)this._$AH.p(t);else{let s=new ae(n,this),a=s.u(this.options);s.p(t),this.T(a),this._$AH=s}}_$AC(e){let t=Le.get(e.strings);return t===void 0&&Le.set(e.strings,t=new U(e)),t}k(e){ue(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,i,n=0;for(let s of e)n===t.length?t.push(i=new r(this.O(O()),this.O(O()),this,this.options)):i=t[n],i._$AI(s),n++;n<t.length&&(this._$AR(i&&i._$AB.nextSibling,n),t.length=n)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let i=Ae(e).nextSibling;Ae(e).remove(),e=i}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},T=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,i,n,s){this.type=1,this._$AH=l,this._$AN=void 0,this.element=e,this.name=t,this._$AM=n,this.options=s,i.length>2||i[0]!==""||i[1]!==""?(this._$AH=Array(i.length-1).fill(new String),this.strings=i):this._$AH=l}_$AI(e,t=this,i,n){let s=this.strings,a=!1;if(s===void 0)e=C(this,e,t,0),a=!N(e)||e!==this._$AH&&e!==z,a&&(this._$AH=e);else{let d=e,c,u;for(e=s[0],c=0;c<s.length-1;c++)u=C(this,d[i+c],t,c),u===z&&(u=this._$AH[c]),a||=!N(u)||u!==this._$AH[c],u===l?e=l:e!==l&&(e+=(u??"")+s[c+1]),this._$AH[c]=u}a&&!n&&this.j(e)}j(e){e===l?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},oe=class extends T{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===l?void 0:e}},ce=class extends T{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==l)}},de=class extends T{constructor(e,t,i,n,s){super(e,t,i,n,s),this.type=5}_$AI(e,t=this){if((e=C(this,e,t,0)??l)===z)return;let i=this._$AH,n=e===l&&i!==l||e.capture!==i.capture||e.once!==i.once||e.passive!==i.passive,s=e!==l&&(i===l||n);n&&this.element.removeEventListener(this.name,this,i),s&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},le=class{constructor(e,t,i){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=i}get _$AU(){return this._$AM._$AU}_$AI(e){C(this,e)}};var lt=pe.litHtmlPolyfillSupport;lt?.(U,F),(pe.litHtmlVersions??=[]).push("3.3.3");var He=(r,e,t)=>{let i=t?.renderBefore??e,n=i._$litPart$;if(n===void 0){let s=t?.renderBefore??null;i._$litPart$=n=new F(e.insertBefore(O(),s),s,void 0,t??{})}return n._$AI(r),n};var he=globalThis,g=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=He(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return z}};g._$litElement$=!0,g.finalized=!0,he.litElementHydrateSupport?.({LitElement:g});var pt=he.litElementPolyfillSupport;pt?.({LitElement:g});(he.litElementVersions??=[]).push("4.2.2");var De="bambu_cloud";function ut(r,e){let t=new Map;for(let i of Object.values(r)){if(!i||i.platform!==De||i.device_id!==e||!i.translation_key)continue;let s=`${i.entity_id.split(".",1)[0]}.${i.translation_key}`,a=t.get(s);(a===void 0||i.entity_id<a)&&t.set(s,i.entity_id)}return t}function Y(r){let e=new Set;for(let t of Object.values(r.entities))t?.platform===De&&t.translation_key==="print_status"&&t.device_id&&e.add(t.device_id);return[...e].sort()}var Q=class{constructor(e,t){this.hass=e;this.ids=ut(e.entities,t)}id(e){return this.ids.get(e)}state(e){let t=this.ids.get(e);return t===void 0?void 0:this.hass.states[t]}number(e){return b(this.state(e)?.state)}};function b(r){if(typeof r=="number")return Number.isFinite(r)?r:void 0;if(typeof r!="string"||r.trim()==="")return;let e=Number(r);return Number.isFinite(e)?e:void 0}function v(r){return r!==void 0&&r.state!=="unknown"&&r.state!=="unavailable"}function fe(r,e,t=!1){let i=r?.attributes??{},n=Array.isArray(i.colors)?i.colors.filter(a=>typeof a=="string"):[],s=b(e?.state)??b(i.remaining);return{color:typeof i.color=="string"?i.color:null,colors:n,type:typeof i.type=="string"&&i.type?i.type:null,empty:r?.state==="empty",remaining:s!==void 0&&s>=0&&!(t&&s===0)?s:void 0}}function Oe(r,e){if(!r||r.state==="unavailable"||r.state==="none")return;let t=b(r.attributes.tray);if(t===void 0)return;if(r.attributes.external===!0)return{amsId:e,slot:t-1};let i=b(r.attributes.ams_id);return i===void 0?void 0:{amsId:i,slot:t-1}}function Ne(r){let e=/^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(r);if(e)return[parseInt(e[1],16),parseInt(e[2],16),parseInt(e[3],16)]}function j(r,e={h:"h",min:"min"}){if(r===void 0||!Number.isFinite(r)||r<0)return;let t=Math.round(r),i=Math.floor(t/60),n=t%60;return i===0?`${n} ${e.min}`:`${i} ${e.h} ${String(n).padStart(2,"0")} ${e.min}`}function I(r,e){let t=r===void 0?"\u2014":`${Math.round(r)}`;return e===void 0||e<=0?`${t} \xB0C`:`${t} / ${Math.round(e)} \xB0C`}function Ue(r,e){let t=2*Math.PI*e,i=Math.min(100,Math.max(0,r??0));return{circumference:t,offset:t*(1-i/100)}}function Fe(r){let e=/^#?([0-9a-f]{6})/i.exec(r??"");if(!e)return"var(--primary-text-color)";let t=parseInt(e[1],16),i=s=>{let a=(t>>s&255)/255;return a<=.03928?a/12.92:((a+.055)/1.055)**2.4};return .2126*i(16)+.7152*i(8)+.0722*i(0)>.179?"#000000":"#ffffff"}function X(r,e){let t=(e??[]).filter(n=>/^#[0-9a-f]{6}$/i.test(n));if(t.length>1){let n=100/t.length;return`linear-gradient(90deg, ${t.map((a,d)=>`${a} ${d*n}% ${(d+1)*n}%`).join(", ")})`}let i=t[0]??r;return i&&/^#[0-9a-f]{6}$/i.test(i)?i:"transparent"}function Ie(r,e){if(!r)return;let t=new Date(r);if(!Number.isNaN(t.getTime()))return t.toLocaleTimeString(e,{hour:"2-digit",minute:"2-digit"})}var be={printer_card:"Bambu printer",printer_card_description:"Status, progress, temperatures and controls of a Bambu Lab printer.",ams_card:"Bambu AMS",ams_card_description:"Every AMS unit and spool of a Bambu Lab printer, in its filament colours.",skip_card:"Bambu skip objects",skip_card_description:"Pick objects of the running print on the plate to skip them.",printer:"Printer",show_camera:"Show the live camera instead of the cover",choose_printer:"Choose a printer in the card's settings.",layer:"Layer",remaining:"Remaining",ends:"Ends at",nozzle:"Nozzle",nozzle_n:"Nozzle {n}",bed:"Bed",chamber:"Chamber",pause:"Pause",resume:"Resume",stop:"Stop",confirm_pause:"Pause the print?",confirm_stop:"Stop the print? It cannot be resumed.",yes:"Yes",cancel:"Cancel",light:"Light",speed:"Speed",filament:"Filament",unknown:"Unknown",learn_more:"Learn more",humidity:"Humidity",temperature:"Temperature",drying:"Drying",drying_left:"Drying, {time} left",external:"External spool",left:"{n} % left",load:"Load",unload:"Unload",set_filament:"Set filament",type:"Type",color:"Colour",save:"Save",no_ams:"This printer has no AMS or external spool.",tap_objects:"Tap the objects to skip.",skip_n:"Skip {n}",confirm_skip:"Skip {names}? This cannot be undone.",skipped:"Skipped",no_objects:"The current job has no objects to skip.",minutes:"min",hours:"h",history_card:"Bambu print history",history_card_description:"The last prints of a Bambu Lab printer: cover, result, duration and filament.",no_jobs:"No prints in the history yet.",finished:"Finished",failed:"Failed",skip:"Skip"},mt={printer_card:"Bambu-Drucker",printer_card_description:"Status, Fortschritt, Temperaturen und Steuerung eines Bambu-Lab-Druckers.",ams_card:"Bambu AMS",ams_card_description:"Alle AMS-Einheiten und Spulen eines Bambu-Lab-Druckers in ihren Filamentfarben.",skip_card:"Bambu Objekte \xFCberspringen",skip_card_description:"Objekte des laufenden Drucks auf der Platte ausw\xE4hlen und \xFCberspringen.",printer:"Drucker",show_camera:"Live-Kamera statt Vorschaubild zeigen",choose_printer:"W\xE4hle in den Einstellungen der Karte einen Drucker.",layer:"Schicht",remaining:"Verbleibend",ends:"Fertig um",nozzle:"D\xFCse",nozzle_n:"D\xFCse {n}",bed:"Bett",chamber:"Bauraum",pause:"Pausieren",resume:"Fortsetzen",stop:"Stoppen",confirm_pause:"Druck pausieren?",confirm_stop:"Druck stoppen? Er kann nicht fortgesetzt werden.",yes:"Ja",cancel:"Abbrechen",light:"Licht",speed:"Geschwindigkeit",filament:"Filament",unknown:"Unbekannt",learn_more:"Mehr erfahren",humidity:"Luftfeuchtigkeit",temperature:"Temperatur",drying:"Trocknet",drying_left:"Trocknet, noch {time}",external:"Externe Spule",left:"{n} % \xFCbrig",load:"Laden",unload:"Entladen",set_filament:"Filament festlegen",type:"Typ",color:"Farbe",save:"Speichern",no_ams:"Dieser Drucker hat kein AMS und keine externe Spule.",tap_objects:"Tippe auf die Objekte, die \xFCbersprungen werden sollen.",skip_n:"{n} \xFCberspringen",confirm_skip:"{names} \xFCberspringen? Das l\xE4sst sich nicht r\xFCckg\xE4ngig machen.",skipped:"\xDCbersprungen",no_objects:"Der aktuelle Druck hat keine Objekte zum \xDCberspringen.",minutes:"Min.",hours:"Std.",history_card:"Bambu-Druckverlauf",history_card_description:"Die letzten Drucke eines Bambu-Lab-Druckers: Vorschaubild, Ergebnis, Dauer und Filament.",no_jobs:"Noch keine Drucke im Verlauf.",finished:"Fertig",failed:"Fehlgeschlagen",skip:"\xDCberspringen"},ht={printer_card:"Impresora Bambu",printer_card_description:"Estado, progreso, temperaturas y controles de una impresora Bambu Lab.",ams_card:"AMS de Bambu",ams_card_description:"Cada unidad AMS y bobina de una impresora Bambu Lab, en los colores de su filamento.",skip_card:"Omitir objetos de Bambu",skip_card_description:"Elige objetos de la impresi\xF3n en curso en la placa para omitirlos.",printer:"Impresora",show_camera:"Mostrar la c\xE1mara en directo en lugar de la portada",choose_printer:"Elige una impresora en los ajustes de la tarjeta.",layer:"Capa",remaining:"Restante",ends:"Termina a las",nozzle:"Boquilla",nozzle_n:"Boquilla {n}",bed:"Cama",chamber:"C\xE1mara",pause:"Pausar",resume:"Reanudar",stop:"Detener",confirm_pause:"\xBFPausar la impresi\xF3n?",confirm_stop:"\xBFDetener la impresi\xF3n? No se podr\xE1 reanudar.",yes:"S\xED",cancel:"Cancelar",light:"Luz",speed:"Velocidad",filament:"Filamento",unknown:"Desconocido",learn_more:"M\xE1s informaci\xF3n",humidity:"Humedad",temperature:"Temperatura",drying:"Secando",drying_left:"Secando, quedan {time}",external:"Bobina externa",left:"Queda un {n} %",load:"Cargar",unload:"Descargar",set_filament:"Definir filamento",type:"Tipo",color:"Color",save:"Guardar",no_ams:"Esta impresora no tiene AMS ni bobina externa.",tap_objects:"Toca los objetos que quieras omitir.",skip_n:"Omitir {n}",confirm_skip:"\xBFOmitir {names}? No se puede deshacer.",skipped:"Omitido",no_objects:"El trabajo actual no tiene objetos que omitir.",minutes:"min",hours:"h",history_card:"Historial de impresi\xF3n Bambu",history_card_description:"Las \xFAltimas impresiones de una impresora Bambu Lab: portada, resultado, duraci\xF3n y filamento.",no_jobs:"Todav\xEDa no hay impresiones en el historial.",finished:"Terminada",failed:"Fallida",skip:"Omitir"},ft={printer_card:"Imprimante Bambu",printer_card_description:"\xC9tat, progression, temp\xE9ratures et commandes d'une imprimante Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Chaque unit\xE9 AMS et bobine d'une imprimante Bambu Lab, dans la couleur de son filament.",skip_card:"Ignorer des objets Bambu",skip_card_description:"Choisissez sur le plateau les objets de l'impression en cours \xE0 ignorer.",printer:"Imprimante",show_camera:"Afficher la cam\xE9ra en direct au lieu de l'aper\xE7u",choose_printer:"Choisissez une imprimante dans les r\xE9glages de la carte.",layer:"Couche",remaining:"Restant",ends:"Fin \xE0",nozzle:"Buse",nozzle_n:"Buse {n}",bed:"Plateau",chamber:"Caisson",pause:"Pause",resume:"Reprendre",stop:"Arr\xEAter",confirm_pause:"Mettre l'impression en pause ?",confirm_stop:"Arr\xEAter l'impression ? Elle ne pourra pas reprendre.",yes:"Oui",cancel:"Annuler",light:"Lumi\xE8re",speed:"Vitesse",filament:"Filament",unknown:"Inconnu",learn_more:"En savoir plus",humidity:"Humidit\xE9",temperature:"Temp\xE9rature",drying:"S\xE9chage",drying_left:"S\xE9chage, encore {time}",external:"Bobine externe",left:"Reste {n} %",load:"Charger",unload:"D\xE9charger",set_filament:"D\xE9finir le filament",type:"Type",color:"Couleur",save:"Enregistrer",no_ams:"Cette imprimante n'a ni AMS ni bobine externe.",tap_objects:"Touchez les objets \xE0 ignorer.",skip_n:"Ignorer {n}",confirm_skip:"Ignorer {names} ? C'est irr\xE9versible.",skipped:"Ignor\xE9",no_objects:"L'impression en cours n'a aucun objet \xE0 ignorer.",minutes:"min",hours:"h",history_card:"Historique d'impression Bambu",history_card_description:"Les derni\xE8res impressions d'une imprimante Bambu Lab : aper\xE7u, r\xE9sultat, dur\xE9e et filament.",no_jobs:"Aucune impression dans l'historique pour l'instant.",finished:"Termin\xE9e",failed:"\xC9chou\xE9e",skip:"Ignorer"},gt={printer_card:"Stampante Bambu",printer_card_description:"Stato, avanzamento, temperature e comandi di una stampante Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Ogni unit\xE0 AMS e bobina di una stampante Bambu Lab, nei colori del filamento.",skip_card:"Salta oggetti Bambu",skip_card_description:"Scegli sul piatto gli oggetti della stampa in corso da saltare.",printer:"Stampante",show_camera:"Mostra la telecamera dal vivo invece dell'anteprima",choose_printer:"Scegli una stampante nelle impostazioni della scheda.",layer:"Strato",remaining:"Rimanente",ends:"Termina alle",nozzle:"Ugello",nozzle_n:"Ugello {n}",bed:"Piatto",chamber:"Camera",pause:"Pausa",resume:"Riprendi",stop:"Ferma",confirm_pause:"Mettere in pausa la stampa?",confirm_stop:"Fermare la stampa? Non potr\xE0 essere ripresa.",yes:"S\xEC",cancel:"Annulla",light:"Luce",speed:"Velocit\xE0",filament:"Filamento",unknown:"Sconosciuto",learn_more:"Scopri di pi\xF9",humidity:"Umidit\xE0",temperature:"Temperatura",drying:"Essiccazione",drying_left:"Essiccazione, mancano {time}",external:"Bobina esterna",left:"Resta il {n} %",load:"Carica",unload:"Scarica",set_filament:"Imposta filamento",type:"Tipo",color:"Colore",save:"Salva",no_ams:"Questa stampante non ha AMS n\xE9 bobina esterna.",tap_objects:"Tocca gli oggetti da saltare.",skip_n:"Salta {n}",confirm_skip:"Saltare {names}? Non si pu\xF2 annullare.",skipped:"Saltato",no_objects:"La stampa in corso non ha oggetti da saltare.",minutes:"min",hours:"h",history_card:"Cronologia di stampa Bambu",history_card_description:"Le ultime stampe di una stampante Bambu Lab: anteprima, esito, durata e filamento.",no_jobs:"Ancora nessuna stampa nella cronologia.",finished:"Completata",failed:"Fallita",skip:"Salta"},bt={printer_card:"Bambu \u30D7\u30EA\u30F3\u30BF\u30FC",printer_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u72B6\u614B\u3001\u9032\u6357\u3001\u6E29\u5EA6\u3001\u64CD\u4F5C\u3002",ams_card:"Bambu AMS",ams_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u3059\u3079\u3066\u306E AMS \u30E6\u30CB\u30C3\u30C8\u3068\u30B9\u30D7\u30FC\u30EB\u3092\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u306E\u8272\u3067\u8868\u793A\u3057\u307E\u3059\u3002",skip_card:"Bambu \u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u306E\u30B9\u30AD\u30C3\u30D7",skip_card_description:"\u5370\u5237\u4E2D\u306E\u30D7\u30EC\u30FC\u30C8\u4E0A\u306E\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u3092\u9078\u3093\u3067\u30B9\u30AD\u30C3\u30D7\u3057\u307E\u3059\u3002",printer:"\u30D7\u30EA\u30F3\u30BF\u30FC",show_camera:"\u30AB\u30D0\u30FC\u753B\u50CF\u306E\u4EE3\u308F\u308A\u306B\u30E9\u30A4\u30D6\u30AB\u30E1\u30E9\u3092\u8868\u793A",choose_printer:"\u30AB\u30FC\u30C9\u306E\u8A2D\u5B9A\u3067\u30D7\u30EA\u30F3\u30BF\u30FC\u3092\u9078\u3093\u3067\u304F\u3060\u3055\u3044\u3002",layer:"\u30EC\u30A4\u30E4\u30FC",remaining:"\u6B8B\u308A\u6642\u9593",ends:"\u7D42\u4E86\u4E88\u5B9A",nozzle:"\u30CE\u30BA\u30EB",nozzle_n:"\u30CE\u30BA\u30EB {n}",bed:"\u30D9\u30C3\u30C9",chamber:"\u30C1\u30E3\u30F3\u30D0\u30FC",pause:"\u4E00\u6642\u505C\u6B62",resume:"\u518D\u958B",stop:"\u505C\u6B62",confirm_pause:"\u5370\u5237\u3092\u4E00\u6642\u505C\u6B62\u3057\u307E\u3059\u304B\uFF1F",confirm_stop:"\u5370\u5237\u3092\u505C\u6B62\u3057\u307E\u3059\u304B\uFF1F\u518D\u958B\u306F\u3067\u304D\u307E\u305B\u3093\u3002",yes:"\u306F\u3044",cancel:"\u30AD\u30E3\u30F3\u30BB\u30EB",light:"\u30E9\u30A4\u30C8",speed:"\u901F\u5EA6",filament:"\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8",unknown:"\u4E0D\u660E",learn_more:"\u8A73\u7D30",humidity:"\u6E7F\u5EA6",temperature:"\u6E29\u5EA6",drying:"\u4E7E\u71E5\u4E2D",drying_left:"\u4E7E\u71E5\u4E2D\u3001\u6B8B\u308A {time}",external:"\u5916\u90E8\u30B9\u30D7\u30FC\u30EB",left:"\u6B8B\u308A {n} %",load:"\u30ED\u30FC\u30C9",unload:"\u30A2\u30F3\u30ED\u30FC\u30C9",set_filament:"\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u3092\u8A2D\u5B9A",type:"\u7A2E\u985E",color:"\u8272",save:"\u4FDD\u5B58",no_ams:"\u3053\u306E\u30D7\u30EA\u30F3\u30BF\u30FC\u306B\u306F AMS \u3082\u5916\u90E8\u30B9\u30D7\u30FC\u30EB\u3082\u3042\u308A\u307E\u305B\u3093\u3002",tap_objects:"\u30B9\u30AD\u30C3\u30D7\u3059\u308B\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u3092\u30BF\u30C3\u30D7\u3057\u3066\u304F\u3060\u3055\u3044\u3002",skip_n:"{n} \u500B\u3092\u30B9\u30AD\u30C3\u30D7",confirm_skip:"{names} \u3092\u30B9\u30AD\u30C3\u30D7\u3057\u307E\u3059\u304B\uFF1F\u5143\u306B\u623B\u305B\u307E\u305B\u3093\u3002",skipped:"\u30B9\u30AD\u30C3\u30D7\u6E08\u307F",no_objects:"\u73FE\u5728\u306E\u30B8\u30E7\u30D6\u306B\u306F\u30B9\u30AD\u30C3\u30D7\u3067\u304D\u308B\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u304C\u3042\u308A\u307E\u305B\u3093\u3002",minutes:"\u5206",hours:"\u6642\u9593",history_card:"Bambu \u5370\u5237\u5C65\u6B74",history_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u6700\u8FD1\u306E\u5370\u5237\uFF1A\u30AB\u30D0\u30FC\u3001\u7D50\u679C\u3001\u6642\u9593\u3001\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u3002",no_jobs:"\u5C65\u6B74\u306B\u306F\u307E\u3060\u5370\u5237\u304C\u3042\u308A\u307E\u305B\u3093\u3002",finished:"\u5B8C\u4E86",failed:"\u5931\u6557",skip:"\u30B9\u30AD\u30C3\u30D7"},yt={printer_card:"Bambu-printer",printer_card_description:"Status, voortgang, temperaturen en bediening van een Bambu Lab-printer.",ams_card:"Bambu AMS",ams_card_description:"Elke AMS-unit en spoel van een Bambu Lab-printer, in de kleur van het filament.",skip_card:"Bambu objecten overslaan",skip_card_description:"Kies objecten van de lopende print op de plaat om ze over te slaan.",printer:"Printer",show_camera:"Live camera tonen in plaats van de afbeelding",choose_printer:"Kies een printer in de instellingen van de kaart.",layer:"Laag",remaining:"Resterend",ends:"Klaar om",nozzle:"Nozzle",nozzle_n:"Nozzle {n}",bed:"Bed",chamber:"Kamer",pause:"Pauzeren",resume:"Hervatten",stop:"Stoppen",confirm_pause:"Print pauzeren?",confirm_stop:"Print stoppen? Hij kan niet worden hervat.",yes:"Ja",cancel:"Annuleren",light:"Licht",speed:"Snelheid",filament:"Filament",unknown:"Onbekend",learn_more:"Meer informatie",humidity:"Luchtvochtigheid",temperature:"Temperatuur",drying:"Drogen",drying_left:"Drogen, nog {time}",external:"Externe spoel",left:"{n} % over",load:"Laden",unload:"Ontladen",set_filament:"Filament instellen",type:"Type",color:"Kleur",save:"Opslaan",no_ams:"Deze printer heeft geen AMS en geen externe spoel.",tap_objects:"Tik op de objecten die je wilt overslaan.",skip_n:"{n} overslaan",confirm_skip:"{names} overslaan? Dit kan niet ongedaan worden gemaakt.",skipped:"Overgeslagen",no_objects:"De huidige print heeft geen objecten om over te slaan.",minutes:"min",hours:"u",history_card:"Bambu-printgeschiedenis",history_card_description:"De laatste prints van een Bambu Lab-printer: afbeelding, resultaat, duur en filament.",no_jobs:"Nog geen prints in de geschiedenis.",finished:"Voltooid",failed:"Mislukt",skip:"Overslaan"},_t={printer_card:"Drukarka Bambu",printer_card_description:"Stan, post\u0119p, temperatury i sterowanie drukark\u0105 Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"Ka\u017Cdy modu\u0142 AMS i szpula drukarki Bambu Lab w kolorach filamentu.",skip_card:"Pomijanie obiekt\xF3w Bambu",skip_card_description:"Wybierz na p\u0142ycie obiekty bie\u017C\u0105cego wydruku, aby je pomin\u0105\u0107.",printer:"Drukarka",show_camera:"Poka\u017C kamer\u0119 na \u017Cywo zamiast ok\u0142adki",choose_printer:"Wybierz drukark\u0119 w ustawieniach karty.",layer:"Warstwa",remaining:"Pozosta\u0142o",ends:"Koniec o",nozzle:"Dysza",nozzle_n:"Dysza {n}",bed:"St\xF3\u0142",chamber:"Komora",pause:"Wstrzymaj",resume:"Wzn\xF3w",stop:"Zatrzymaj",confirm_pause:"Wstrzyma\u0107 wydruk?",confirm_stop:"Zatrzyma\u0107 wydruk? Nie b\u0119dzie mo\u017Cna go wznowi\u0107.",yes:"Tak",cancel:"Anuluj",light:"\u015Awiat\u0142o",speed:"Pr\u0119dko\u015B\u0107",filament:"Filament",unknown:"Nieznany",learn_more:"Wi\u0119cej informacji",humidity:"Wilgotno\u015B\u0107",temperature:"Temperatura",drying:"Suszenie",drying_left:"Suszenie, pozosta\u0142o {time}",external:"Szpula zewn\u0119trzna",left:"Pozosta\u0142o {n} %",load:"Za\u0142aduj",unload:"Wy\u0142aduj",set_filament:"Ustaw filament",type:"Typ",color:"Kolor",save:"Zapisz",no_ams:"Ta drukarka nie ma AMS ani szpuli zewn\u0119trznej.",tap_objects:"Dotknij obiekt\xF3w do pomini\u0119cia.",skip_n:"Pomi\u0144 {n}",confirm_skip:"Pomin\u0105\u0107 {names}? Tego nie mo\u017Cna cofn\u0105\u0107.",skipped:"Pomini\u0119ty",no_objects:"Bie\u017C\u0105ce zadanie nie ma obiekt\xF3w do pomini\u0119cia.",minutes:"min",hours:"godz.",history_card:"Historia wydruk\xF3w Bambu",history_card_description:"Ostatnie wydruki drukarki Bambu Lab: ok\u0142adka, wynik, czas i filament.",no_jobs:"W historii nie ma jeszcze wydruk\xF3w.",finished:"Uko\u0144czony",failed:"Nieudany",skip:"Pomi\u0144"},We={printer_card:"Impressora Bambu",printer_card_description:"Status, progresso, temperaturas e controles de uma impressora Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Cada unidade AMS e carretel de uma impressora Bambu Lab, nas cores do filamento.",skip_card:"Pular objetos Bambu",skip_card_description:"Escolha na placa objetos da impress\xE3o em andamento para pul\xE1-los.",printer:"Impressora",show_camera:"Mostrar a c\xE2mera ao vivo em vez da capa",choose_printer:"Escolha uma impressora nas configura\xE7\xF5es do cart\xE3o.",layer:"Camada",remaining:"Restante",ends:"Termina \xE0s",nozzle:"Bico",nozzle_n:"Bico {n}",bed:"Mesa",chamber:"C\xE2mara",pause:"Pausar",resume:"Retomar",stop:"Parar",confirm_pause:"Pausar a impress\xE3o?",confirm_stop:"Parar a impress\xE3o? Ela n\xE3o poder\xE1 ser retomada.",yes:"Sim",cancel:"Cancelar",light:"Luz",speed:"Velocidade",filament:"Filamento",unknown:"Desconhecido",learn_more:"Saiba mais",humidity:"Umidade",temperature:"Temperatura",drying:"Secando",drying_left:"Secando, faltam {time}",external:"Carretel externo",left:"Restam {n} %",load:"Carregar",unload:"Descarregar",set_filament:"Definir filamento",type:"Tipo",color:"Cor",save:"Salvar",no_ams:"Esta impressora n\xE3o tem AMS nem carretel externo.",tap_objects:"Toque nos objetos a pular.",skip_n:"Pular {n}",confirm_skip:"Pular {names}? Isso n\xE3o pode ser desfeito.",skipped:"Pulado",no_objects:"O trabalho atual n\xE3o tem objetos para pular.",minutes:"min",hours:"h",history_card:"Hist\xF3rico de impress\xE3o Bambu",history_card_description:"As \xFAltimas impress\xF5es de uma impressora Bambu Lab: capa, resultado, dura\xE7\xE3o e filamento.",no_jobs:"Ainda n\xE3o h\xE1 impress\xF5es no hist\xF3rico.",finished:"Conclu\xEDda",failed:"Falhou",skip:"Pular"},Ke={printer_card:"\u62D3\u7AF9\u6253\u5370\u673A",printer_card_description:"\u62D3\u7AF9\u6253\u5370\u673A\u7684\u72B6\u6001\u3001\u8FDB\u5EA6\u3001\u6E29\u5EA6\u548C\u63A7\u5236\u3002",ams_card:"\u62D3\u7AF9 AMS",ams_card_description:"\u4EE5\u8017\u6750\u989C\u8272\u663E\u793A\u62D3\u7AF9\u6253\u5370\u673A\u7684\u6BCF\u4E2A AMS \u5355\u5143\u548C\u6599\u5377\u3002",skip_card:"\u62D3\u7AF9\u8DF3\u8FC7\u5BF9\u8C61",skip_card_description:"\u5728\u6253\u5370\u677F\u4E0A\u9009\u62E9\u6B63\u5728\u6253\u5370\u7684\u5BF9\u8C61\u5E76\u8DF3\u8FC7\u3002",printer:"\u6253\u5370\u673A",show_camera:"\u663E\u793A\u5B9E\u65F6\u6444\u50CF\u5934\u800C\u975E\u5C01\u9762",choose_printer:"\u8BF7\u5728\u5361\u7247\u8BBE\u7F6E\u4E2D\u9009\u62E9\u4E00\u53F0\u6253\u5370\u673A\u3002",layer:"\u5C42",remaining:"\u5269\u4F59\u65F6\u95F4",ends:"\u9884\u8BA1\u5B8C\u6210",nozzle:"\u55B7\u5634",nozzle_n:"\u55B7\u5634 {n}",bed:"\u70ED\u5E8A",chamber:"\u8154\u4F53",pause:"\u6682\u505C",resume:"\u7EE7\u7EED",stop:"\u505C\u6B62",confirm_pause:"\u6682\u505C\u6253\u5370\uFF1F",confirm_stop:"\u505C\u6B62\u6253\u5370\uFF1F\u505C\u6B62\u540E\u65E0\u6CD5\u7EE7\u7EED\u3002",yes:"\u662F",cancel:"\u53D6\u6D88",light:"\u706F",speed:"\u901F\u5EA6",filament:"\u8017\u6750",unknown:"\u672A\u77E5",learn_more:"\u4E86\u89E3\u66F4\u591A",humidity:"\u6E7F\u5EA6",temperature:"\u6E29\u5EA6",drying:"\u70D8\u5E72\u4E2D",drying_left:"\u70D8\u5E72\u4E2D\uFF0C\u5269\u4F59 {time}",external:"\u5916\u90E8\u6599\u5377",left:"\u5269\u4F59 {n} %",load:"\u8FDB\u6599",unload:"\u9000\u6599",set_filament:"\u8BBE\u7F6E\u8017\u6750",type:"\u7C7B\u578B",color:"\u989C\u8272",save:"\u4FDD\u5B58",no_ams:"\u8FD9\u53F0\u6253\u5370\u673A\u6CA1\u6709 AMS \u548C\u5916\u90E8\u6599\u5377\u3002",tap_objects:"\u70B9\u51FB\u8981\u8DF3\u8FC7\u7684\u5BF9\u8C61\u3002",skip_n:"\u8DF3\u8FC7 {n} \u4E2A",confirm_skip:"\u8DF3\u8FC7 {names}\uFF1F\u6B64\u64CD\u4F5C\u65E0\u6CD5\u64A4\u9500\u3002",skipped:"\u5DF2\u8DF3\u8FC7",no_objects:"\u5F53\u524D\u4EFB\u52A1\u6CA1\u6709\u53EF\u8DF3\u8FC7\u7684\u5BF9\u8C61\u3002",minutes:"\u5206\u949F",hours:"\u5C0F\u65F6",history_card:"\u62D3\u7AF9\u6253\u5370\u5386\u53F2",history_card_description:"\u62D3\u7AF9\u6253\u5370\u673A\u6700\u8FD1\u7684\u6253\u5370\uFF1A\u5C01\u9762\u3001\u7ED3\u679C\u3001\u7528\u65F6\u548C\u8017\u6750\u3002",no_jobs:"\u5386\u53F2\u4E2D\u8FD8\u6CA1\u6709\u6253\u5370\u8BB0\u5F55\u3002",finished:"\u5DF2\u5B8C\u6210",failed:"\u5931\u8D25",skip:"\u8DF3\u8FC7"},ge={en:be,de:mt,es:ht,fr:ft,it:gt,ja:bt,nl:yt,pl:_t,"pt-BR":We,"zh-Hans":Ke};function k(r){if(!r)return be;if(ge[r])return ge[r];let e=r.split("-",1)[0];return e==="zh"?Ke:e==="pt"?We:ge[e]??be}function ee(r,e,t={}){return r[e].replace(/\{(\w+)\}/g,(i,n)=>n in t?String(t[n]):i)}var h=class extends g{setConfig(e){if(!e||typeof e!="object")throw new Error("Invalid configuration");this.config={...e}}static getStubConfig(e){let[t]=Y(e);return t?{device_id:t}:{}}static getConfigElement(){return document.createElement("bambu-card-editor")}getCardSize(){return 4}t(e,t){return ee(k(this.hass?.locale?.language??this.hass?.language),e,t)}get language(){return this.hass?.locale?.language??this.hass?.language??"en"}entities(){if(!(!this.hass||!this.config?.device_id))return new Q(this.hass,this.config.device_id)}deviceName(){let e=this.config?.device_id?this.hass?.devices[this.config.device_id]:void 0;return e?.name_by_user||e?.name||""}formatState(e,t){let i=e?this.hass?.states[e]:void 0;if(!(!i||!this.hass))return this.hass.formatEntityState?this.hass.formatEntityState(i,t):t??i.state}};h.properties={hass:{attribute:!1},config:{state:!0}},h.baseStyles=f`
    :host {
      display: block;
    }
    ha-card {
      padding: 16px;
      box-sizing: border-box;
      height: 100%;
      overflow: hidden;
    }
    .header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      margin-bottom: 12px;
    }
    .name {
      font-size: 1.2em;
      font-weight: 500;
      color: var(--primary-text-color);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .badge {
      padding: 2px 10px;
      border-radius: 12px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
      font-size: 0.9em;
      white-space: nowrap;
    }
    .muted {
      color: var(--secondary-text-color);
    }
    button.action {
      font: inherit;
      border: 1px solid var(--divider-color);
      background: var(--card-background-color, var(--ha-card-background));
      color: var(--primary-text-color);
      border-radius: 18px;
      padding: 6px 14px;
      min-height: 36px;
      cursor: pointer;
    }
    button.action.primary {
      background: var(--primary-color);
      border-color: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    button.action.danger {
      background: var(--error-color);
      border-color: var(--error-color);
      color: #fff;
    }
    button.action:disabled {
      opacity: 0.45;
      cursor: default;
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: 12px;
      padding: 10px;
      border-radius: 8px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
    }
    .confirm span {
      flex: 1 1 160px;
    }
  `;var L=class extends h{updated(){let e=this.config?.device_id,t=this.hass&&e?`${e}:${Object.keys(this.hass.entities).length}`:void 0;this.hass&&e&&this.printerLayoutFor!==t&&(this.printerLayoutFor=t,this.hass.callWS({type:"bambu_cloud/printer_layout",device_id:e}).then(i=>this.printerLayout=i).catch(()=>this.printerLayout=void 0))}render(){let e=this.entities();if(!e)return o`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=this.printerLayout,i=t?Oe(e.state("sensor.active_tray"),t.external_ams_id):void 0,n=(s,a)=>i?.amsId===s&&i.slot===a;return o`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${t&&!t.units.length&&!t.external.length?o`<div class="muted">${this.t("no_ams")}</div>`:l}
      ${(t?.units??[]).map(s=>this.renderUnit(s,n))}
      ${t?.external.length?o`<section class="unit external">
            <div class="unit-head"><span class="unit-name">${this.t("external")}</span></div>
            <div class="trays">
              ${t.external.map(s=>this.renderTray(void 0,s,n(t.external_ams_id,s.slot)))}
            </div>
          </section>`:l}
      ${this.renderSelected()}
    </ha-card>`}renderUnit(e,t){let i=c=>c?this.hass?.states[c]:void 0,n=i(e.humidity),s=i(e.temperature),a=i(e.drying),d=j(b(i(e.drying_remaining)?.state),{h:this.t("hours"),min:this.t("minutes")});return o`<section class="unit" data-unit=${e.id}>
      <div class="unit-head">
        <span class="unit-name">${e.label}</span>
        <span class="muted climate">
          ${v(n)?o`<span><ha-icon icon="mdi:water-percent"></ha-icon>${Math.round(Number(n.state))} %</span>`:l}
          ${v(s)?o`<span><ha-icon icon="mdi:thermometer"></ha-icon>${Number(s.state).toFixed(1)} °C</span>`:l}
          ${a?.state==="on"?o`<span class="drying"><ha-icon icon="mdi:heat-wave"></ha-icon>${d?this.t("drying_left",{time:d}):this.t("drying")}</span>`:l}
        </span>
      </div>
      <div class="trays">${e.trays.map(c=>this.renderTray(e,c,t(e.id,c.slot)))}</div>
    </section>`}renderTray(e,t,i){let n=t.filament?this.hass?.states[t.filament]:void 0,s=t.remaining?this.hass?.states[t.remaining]:void 0,a=fe(n,s,e===void 0),d=X(a.color,a.colors),c=this.selected?.slot===t;return o`<button
      class="tray ${i?"active":""} ${a.empty?"empty":""} ${c?"selected":""}"
      data-label=${t.label}
      data-color=${a.color??""}
      title=${t.label}
      @click=${()=>this.selected=c?void 0:{unit:e,slot:t}}
    >
      <span class="spool" style="background:${d};color:${Fe(a.color)}">
        <span class="slot-label">${t.label}</span>
        ${a.remaining!==void 0?o`<span class="used" style="height:${100-a.remaining}%"></span>`:l}
      </span>
      <span class="type">${a.type??(a.empty?"":"?")}</span>
      <span class="filament-name muted">${this.formatState(t.filament??void 0)??"\u2014"}</span>
      <span class="left muted">${a.remaining!==void 0?this.t("left",{n:a.remaining}):a.empty?"":this.t("unknown")}</span>
    </button>`}renderSelected(){let e=this.selected,t=this.config?.device_id;if(!e||!t)return l;let i=e.unit?.device_id??t,n=e.unit?{tray:e.slot.tray}:{},s=e.slot.filament?this.hass?.states[e.slot.filament]:void 0,a=fe(s,void 0);return o`<div class="confirm tray-actions">
      <span>${e.unit?e.unit.label+" \xB7 ":""}${e.slot.label}</span>
      <button class="action load" @click=${()=>this.call("load_filament",{device_id:i,...n})}>
        ${this.t("load")}
      </button>
      <button class="action unload" @click=${()=>this.call("unload_filament",{device_id:t})}>
        ${this.t("unload")}
      </button>
      <form
        class="set"
        @submit=${d=>{d.preventDefault();let c=d.target,u=c.elements.namedItem("type").value.trim(),m=Ne(c.elements.namedItem("color").value);this.call("set_filament",{device_id:i,...n,...u?{type:u}:{},...m?{color:m}:{}})}}
      >
        <label>${this.t("type")} <input name="type" size="8" .value=${a.type??""} /></label>
        <label>${this.t("color")} <input name="color" type="color" .value=${a.color??"#ffffff"} /></label>
        <button class="action primary" type="submit">${this.t("set_filament")}</button>
      </form>
    </div>`}call(e,t){this.selected=void 0,this.hass?.callService("bambu_cloud",e,t)}getCardSize(){return 4+(this.printerLayout?.units.length??1)*2}};L.properties={...h.properties,printerLayout:{state:!0},selected:{state:!0}},L.styles=[h.baseStyles,f`
      .unit {
        margin-bottom: 12px;
      }
      .unit-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
        margin-bottom: 6px;
        color: var(--primary-text-color);
      }
      .unit-name {
        font-weight: 500;
      }
      .climate {
        display: flex;
        gap: 10px;
        font-size: 0.9em;
      }
      .climate ha-icon {
        --mdc-icon-size: 16px;
      }
      .trays {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: 8px;
      }
      .tray {
        font: inherit;
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 2px;
        padding: 6px 4px;
        border-radius: 10px;
        border: 2px solid transparent;
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        cursor: pointer;
        min-width: 0;
      }
      .tray.active {
        border-color: var(--primary-color);
        box-shadow: 0 0 0 2px color-mix(in srgb, var(--primary-color) 30%, transparent);
      }
      .tray.selected {
        border-style: dashed;
        border-color: var(--secondary-text-color);
      }
      .spool {
        position: relative;
        width: 44px;
        height: 56px;
        border-radius: 8px;
        border: 1px solid var(--divider-color);
        display: flex;
        align-items: flex-start;
        justify-content: center;
        overflow: hidden;
      }
      .tray.empty .spool {
        background: repeating-linear-gradient(45deg, transparent 0 6px, var(--divider-color) 6px 8px) !important;
      }
      .slot-label {
        font-size: 0.8em;
        font-weight: 600;
        margin-top: 2px;
        z-index: 1;
      }
      /* What is used up, from the top: the colour left shows the level. */
      .used {
        position: absolute;
        left: 0;
        right: 0;
        top: 0;
        background: color-mix(in srgb, var(--card-background-color, #fff) 65%, transparent);
        /* The level stays visible on a spool of the card's own colour. */
        border-bottom: 2px dashed rgba(128, 128, 128, 0.9);
        box-sizing: border-box;
      }
      .used[style="height:0%"] {
        border: none;
      }
      .type {
        font-weight: 500;
        font-size: 0.9em;
      }
      .filament-name,
      .left {
        font-size: 0.75em;
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .set {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .set input {
        font: inherit;
      }
    `];async function vt(){if(customElements.get("ha-form")||!window.loadCardHelpers)return;let t=(await window.loadCardHelpers()).createCardElement({type:"entities",entities:[]}).constructor.getConfigElement;await t?.()}var W=class extends g{constructor(){super(...arguments);this.ready=!1}setConfig(t){this.config=t}connectedCallback(){super.connectedCallback(),vt().then(()=>this.ready=!0)}t(t){return ee(k(this.hass?.locale?.language??this.hass?.language),t)}get schema(){let t=[{name:"device_id",required:!0,selector:{device:{filter:{integration:"bambu_cloud"},entity:{integration:"bambu_cloud",domain:"button"}}}}];return this.config?.type==="custom:bambu-printer-card"&&t.push({name:"show_camera",selector:{boolean:{}}}),t}render(){return!this.hass||!this.config||!this.ready?o``:o`<ha-form
      .hass=${this.hass}
      .data=${this.config}
      .schema=${this.schema}
      .computeLabel=${t=>this.t(t.name==="device_id"?"printer":"show_camera")}
      @value-changed=${t=>{this.config={...t.detail.value,type:this.config.type},this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:this.config},bubbles:!0,composed:!0}))}}
    ></ha-form>`}};W.properties={hass:{attribute:!1},config:{state:!0},ready:{state:!0}};function Ve(r,e,t={h:"h",min:"min"}){let i=new Date(r.start),n=r.outcome==="finished"||r.outcome==="failed"?r.outcome:"unknown";return{id:r.id,title:r.title,when:Number.isNaN(i.getTime())?"":i.toLocaleString(e,{dateStyle:"medium",timeStyle:"short"}),outcome:n,duration:r.seconds===null?void 0:j(r.seconds/60,t),filament:r.weight===null?void 0:`${r.weight<10?r.weight.toFixed(1):Math.round(r.weight)} g`,cover:r.cover}}var qe=5,P=class extends h{updated(){let e=this.config?.device_id;!this.hass?.connection||!e||this.subscribedTo===e||(this.stop(),this.subscribedTo=e,this.unsubscribe=this.hass.connection.subscribeMessage(t=>this.jobs=t.jobs,{type:"bambu_cloud/subscribe_history",device_id:e,limit:qe}),this.unsubscribe.catch(()=>this.jobs=void 0))}disconnectedCallback(){super.disconnectedCallback(),this.stop()}stop(){this.unsubscribe?.then(e=>e()).catch(()=>{}),this.unsubscribe=void 0,this.subscribedTo=void 0}render(){if(!this.config?.device_id||!this.hass)return o`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let e={h:this.t("hours"),min:this.t("minutes")},t=(this.jobs??[]).map(i=>Ve(i,this.language,e));return o`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${this.jobs&&!t.length?o`<div class="muted">${this.t("no_jobs")}</div>`:l}
      <ul class="jobs">
        ${t.map(i=>o`<li class="job" data-id=${i.id}>
            <span class="cover">
              ${i.cover?o`<img src=${i.cover} alt="" loading="lazy" />`:o`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
            </span>
            <span class="what">
              <span class="title">${i.title}</span>
              <span class="muted when">${i.when}</span>
            </span>
            <span class="facts">
              <span class="badge outcome ${i.outcome}">${this.t(i.outcome)}</span>
              <span class="muted">${[i.duration,i.filament].filter(Boolean).join(" \xB7 ")}</span>
            </span>
          </li>`)}
      </ul>
    </ha-card>`}getCardSize(){return 2+qe}};P.properties={...h.properties,jobs:{state:!0}},P.styles=[h.baseStyles,f`
      .jobs {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .job {
        display: grid;
        grid-template-columns: 48px minmax(0, 1fr) auto;
        gap: 10px;
        align-items: center;
        padding: 6px 0;
        border-top: 1px solid var(--divider-color);
        color: var(--primary-text-color);
      }
      .job:first-child {
        border-top: none;
      }
      .cover {
        width: 48px;
        height: 48px;
        border-radius: 6px;
        background: var(--secondary-background-color);
        display: flex;
        align-items: center;
        justify-content: center;
        overflow: hidden;
      }
      .cover img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .what,
      .facts {
        display: flex;
        flex-direction: column;
        min-width: 0;
      }
      .facts {
        align-items: flex-end;
        font-size: 0.85em;
        gap: 2px;
      }
      .title {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .when {
        font-size: 0.85em;
      }
      .outcome.finished {
        background: color-mix(in srgb, var(--success-color, #43a047) 20%, transparent);
      }
      .outcome.failed {
        background: color-mix(in srgb, var(--error-color) 20%, transparent);
      }
    `];function Je(r){let e=r?.attributes.errors;return Array.isArray(e)?e.filter(t=>typeof t=="object"&&t!==null).map(t=>({code:String(t.code??""),severity:String(t.severity??""),text:typeof t.text=="string"?t.text:"",url:typeof t.url=="string"&&/^https:\/\//.test(t.url)?t.url:void 0})):[]}function Ze(r){if(typeof r=="string")return r.replace("/api/camera_proxy/","/api/camera_proxy_stream/")}var ye=42,M=class extends h{updated(){let e=this.config?.device_id;this.hass&&e&&this.printerLayoutFor!==e&&(this.printerLayoutFor=e,this.hass.callWS({type:"bambu_cloud/printer_layout",device_id:e}).then(t=>this.printerLayout=t).catch(()=>this.printerLayout=void 0))}render(){let e=this.entities();if(!e)return o`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=e.state("sensor.print_status"),i=e.number("sensor.progress");return o`<ha-card>
      <div class="header">
        <span class="name">${this.deviceName()}</span>
        <span class="badge status">${this.formatState(t?.entity_id)??"\u2014"}</span>
      </div>
      <div class="top">
        ${this.renderPicture(e)}
        <div class="ring">${this.renderRing(i)}</div>
      </div>
      ${this.renderJob(e)} ${this.renderTemperatures(e)} ${this.renderErrors(e)}
      ${this.renderControls(e)} ${this.renderConfirm(e)}
    </ha-card>`}renderPicture(e){let t=e.state("camera.camera"),i=e.state("image.cover"),n;return this.config?.show_camera&&v(t)?n=Ze(t.attributes.entity_picture):v(i)&&typeof i.attributes.entity_picture=="string"&&(n=i.attributes.entity_picture),o`<div class="picture">
      ${n?o`<img src=${n} alt="" />`:o`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
    </div>`}renderRing(e){let{circumference:t,offset:i}=Ue(e,ye);return o`<svg viewBox="0 0 100 100" role="img" aria-label="${e??0} %">
      ${G`<circle class="track" cx="50" cy="50" r=${ye}></circle>
      <circle class="bar" cx="50" cy="50" r=${ye}
        stroke-dasharray=${t} stroke-dashoffset=${i}></circle>
      <text x="50" y="50" class="percent">${e===void 0?"\u2014":`${Math.round(e)} %`}</text>`}
    </svg>`}renderJob(e){let t=e.state("sensor.job_name"),i=e.state("sensor.stage"),n=e.number("sensor.current_layer"),s=e.number("sensor.total_layers"),a=j(e.number("sensor.remaining_time"),{h:this.t("hours"),min:this.t("minutes")}),d=Ie(e.state("sensor.end_time")?.state,this.language);return o`<div class="job">
        <span class="job-name">${v(t)?t.state:""}</span>
        <span class="muted stage">${v(i)?this.formatState(i.entity_id):""}</span>
      </div>
      <div class="facts">
        <div><span class="muted">${this.t("layer")}</span><span class="layers">${n??"\u2014"} / ${s??"\u2014"}</span></div>
        <div><span class="muted">${this.t("remaining")}</span><span class="remaining">${a??"\u2014"}</span></div>
        <div><span class="muted">${this.t("ends")}</span><span class="end">${d??"\u2014"}</span></div>
      </div>`}renderTemperatures(e){let t=[],i=this.printerLayout?.nozzles??[],n=a=>a?b(this.hass?.states[a]?.state):void 0;if(i.length>1)for(let a of i)t.push(this.chip("mdi:printer-3d-nozzle",this.t("nozzle_n",{n:a.index+1}),I(n(a.temperature),n(a.target)),`nozzle-${a.index+1}`));else e.id("sensor.nozzle_temperature")&&t.push(this.chip("mdi:printer-3d-nozzle",this.t("nozzle"),I(e.number("sensor.nozzle_temperature"),e.number("sensor.nozzle_target_temperature")),"nozzle"));e.id("sensor.bed_temperature")&&t.push(this.chip("mdi:radiator",this.t("bed"),I(e.number("sensor.bed_temperature"),e.number("sensor.bed_target_temperature")),"bed")),e.id("sensor.chamber_temperature")&&t.push(this.chip("mdi:thermometer",this.t("chamber"),I(e.number("sensor.chamber_temperature"),e.number("sensor.chamber_target_temperature")),"chamber"));let s=e.state("sensor.active_tray");if(v(s)&&s.attributes.color){let a=Array.isArray(s.attributes.colors)?s.attributes.colors:[];t.push(o`<div class="chip filament">
        <span class="swatch" style="background:${X(s.attributes.color,a)}"></span>
        <span class="muted">${this.t("filament")}</span><span>${this.formatState(s.entity_id)}</span>
      </div>`)}return o`<div class="chips">${t}</div>`}chip(e,t,i,n){return o`<div class="chip temperature ${n}">
      <ha-icon icon=${e}></ha-icon><span class="muted">${t}</span><span class="value">${i}</span>
    </div>`}renderErrors(e){let t=Je(e.state("sensor.hms_errors"));return t.length?o`<ul class="errors">
      ${t.map(i=>o`<li class=${i.severity}>
          <ha-icon icon="mdi:alert-circle"></ha-icon>
          <span>${i.text||i.code}</span>
          ${i.url?o`<a href=${i.url} target="_blank" rel="noreferrer">${this.t("learn_more")}</a>`:l}
        </li>`)}
    </ul>`:l}renderControls(e){let t=a=>{let d=e.state(a);return d!==void 0&&d.state!=="unavailable"},i=e.state("light.chamber_light"),n=e.state("select.print_speed"),s=Array.isArray(n?.attributes.options)?n?.attributes.options:[];return o`<div class="controls">
      ${t("button.resume")?o`<button class="action primary resume" @click=${()=>this.press(e,"button.resume")}>
            ${this.t("resume")}
          </button>`:o`<button class="action pause" ?disabled=${!t("button.pause")} @click=${()=>this.pending="pause"}>
            ${this.t("pause")}
          </button>`}
      <button class="action stop" ?disabled=${!t("button.stop")} @click=${()=>this.pending="stop"}>
        ${this.t("stop")}
      </button>
      ${i?o`<button
            class="action light ${i.state==="on"?"primary":""}"
            ?disabled=${i.state==="unavailable"}
            @click=${()=>this.hass?.callService("light","toggle",{entity_id:i.entity_id})}
          >
            <ha-icon icon="mdi:lightbulb"></ha-icon> ${this.t("light")}
          </button>`:l}
      ${n&&s.length?o`<label class="speed"
            ><span class="muted">${this.t("speed")}</span>
            <select
              ?disabled=${n.state==="unavailable"}
              @change=${a=>this.hass?.callService("select","select_option",{entity_id:n.entity_id,option:a.target.value})}
            >
              ${s.map(a=>o`<option value=${a} ?selected=${a===n.state}>
                    ${this.formatState(n.entity_id,a)}
                  </option>`)}
            </select></label
          >`:l}
    </div>`}renderConfirm(e){if(!this.pending)return l;let t=this.pending;return o`<div class="confirm" role="alertdialog">
      <span>${this.t(t==="stop"?"confirm_stop":"confirm_pause")}</span>
      <button class="action" @click=${()=>this.pending=void 0}>${this.t("cancel")}</button>
      <button
        class="action ${t==="stop"?"danger":"primary"} confirm-yes"
        @click=${()=>{this.pending=void 0,this.press(e,`button.${t}`)}}
      >
        ${this.t("yes")}
      </button>
    </div>`}press(e,t){let i=e.id(t);i&&this.hass?.callService("button","press",{entity_id:i})}getCardSize(){return 7}};M.properties={...h.properties,pending:{state:!0},printerLayout:{state:!0}},M.styles=[h.baseStyles,f`
      .top {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 120px;
        gap: 12px;
        align-items: center;
      }
      .picture {
        aspect-ratio: 4 / 3;
        border-radius: 8px;
        background: var(--secondary-background-color);
        display: flex;
        align-items: center;
        justify-content: center;
        overflow: hidden;
      }
      .picture img {
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .picture ha-icon {
        --mdc-icon-size: 48px;
        color: var(--secondary-text-color);
      }
      .ring svg {
        width: 100%;
        transform: rotate(-90deg);
      }
      .ring .track,
      .ring .bar {
        fill: none;
        stroke-width: 8;
      }
      .ring .track {
        stroke: var(--divider-color);
      }
      .ring .bar {
        stroke: var(--primary-color);
        stroke-linecap: round;
        transition: stroke-dashoffset 0.5s;
      }
      .ring .percent {
        transform: rotate(90deg);
        transform-origin: 50px 50px;
        text-anchor: middle;
        dominant-baseline: central;
        font-size: 18px;
        fill: var(--primary-text-color);
      }
      .job {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        margin: 12px 0 4px;
        color: var(--primary-text-color);
      }
      .job-name {
        font-weight: 500;
      }
      .facts {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 8px;
        margin: 8px 0;
        color: var(--primary-text-color);
      }
      .facts div {
        display: flex;
        flex-direction: column;
      }
      .facts .muted {
        font-size: 0.85em;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 8px 0;
      }
      .chip {
        display: flex;
        align-items: center;
        gap: 4px;
        padding: 4px 10px;
        border-radius: 16px;
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        font-size: 0.9em;
      }
      .chip ha-icon {
        --mdc-icon-size: 18px;
        color: var(--state-icon-color, var(--secondary-text-color));
      }
      .swatch {
        width: 14px;
        height: 14px;
        border-radius: 50%;
        border: 1px solid var(--divider-color);
      }
      .errors {
        list-style: none;
        padding: 0;
        margin: 8px 0;
      }
      .errors li {
        display: flex;
        gap: 6px;
        align-items: center;
        color: var(--error-color);
        margin: 4px 0;
      }
      .errors li.common,
      .errors li.info {
        color: var(--warning-color);
      }
      .errors a {
        color: var(--primary-color);
        white-space: nowrap;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
      }
      .controls ha-icon {
        --mdc-icon-size: 18px;
      }
      .speed {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .speed select {
        font: inherit;
        padding: 6px;
        border-radius: 8px;
        border: 1px solid var(--divider-color);
        background: var(--card-background-color, var(--ha-card-background));
        color: var(--primary-text-color);
      }
      @media (max-width: 450px) {
        .top {
          grid-template-columns: minmax(0, 1fr) 90px;
        }
      }
    `];function Ge(r,e){return r.filter(t=>e.has(t.id)&&!t.skipped).map(t=>t.id).sort((t,i)=>t-i)}function Qe(r,e,t){let i=new Set(e),n=r.find(s=>s.id===t);return!n||n.skipped||(i.has(t)?i.delete(t):i.add(t)),i}function Ye(r,e,t=5){let i=r.filter(n=>e.includes(n.id)).map(n=>n.name||`#${n.id}`);return i.length>t?`${i.slice(0,t).join(", ")}, \u2026`:i.join(", ")}var _e=1e3,B=class extends h{constructor(){super(...arguments);this.selected=new Set;this.confirming=!1}updated(){let t=this.config?.device_id;!this.hass?.connection||!t||this.subscribedTo===t||(this.stop(),this.subscribedTo=t,this.unsubscribe=this.hass.connection.subscribeMessage(i=>{this.plate=i;let n=new Set(i.objects.filter(s=>!s.skipped).map(s=>s.id));this.selected=new Set([...this.selected].filter(s=>n.has(s)))},{type:"bambu_cloud/subscribe_plate_objects",device_id:t}),this.unsubscribe.catch(()=>this.plate=void 0))}disconnectedCallback(){super.disconnectedCallback(),this.stop()}stop(){this.unsubscribe?.then(t=>t()).catch(()=>{}),this.unsubscribe=void 0,this.subscribedTo=void 0}render(){if(!this.config?.device_id||!this.hass)return o`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=this.plate,i=t?.objects??[],n=Ge(i,this.selected);return o`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${i.length?o`<div class="muted hint">${this.t("tap_objects")}</div>
            <div class="plate">
              ${t?.image?o`<img src=${t.image} alt="" />`:l}
              <svg viewBox="0 0 ${_e} ${_e}" preserveAspectRatio="none">
                ${i.map(s=>{if(!s.box)return l;let[a,d,c,u]=s.box.map(p=>p*_e),m=s.skipped?"skipped":this.selected.has(s.id)?"selected":"";return G`<g class="object ${m}" @click=${()=>this.toggle(s.id)}>
                    <rect class="object ${m}" data-id=${s.id}
                      x=${a} y=${d} width=${c-a} height=${u-d} rx="8">
                      <title>${s.name}</title></rect>
                    <text x=${(a+c)/2} y=${(d+u)/2}>${s.name||`#${s.id}`}</text>
                  </g>`})}
              </svg>
            </div>
            <ul class="objects">
              ${i.map(s=>o`<li>
                  <button
                    class="object-name ${s.skipped?"skipped":""} ${this.selected.has(s.id)?"selected":""}"
                    data-id=${s.id}
                    ?disabled=${s.skipped}
                    @click=${()=>this.toggle(s.id)}
                  >
                    ${s.name||`#${s.id}`}${s.skipped?o` · ${this.t("skipped")}`:l}
                  </button>
                </li>`)}
            </ul>
            <div class="controls">
              <button class="action danger skip" ?disabled=${!n.length} @click=${()=>this.confirming=!0}>
                ${n.length?this.t("skip_n",{n:n.length}):this.t("skip")}
              </button>
            </div>
            ${this.confirming&&n.length?o`<div class="confirm" role="alertdialog">
                  <span>${this.t("confirm_skip",{names:Ye(i,n)})}</span>
                  <button class="action" @click=${()=>this.confirming=!1}>${this.t("cancel")}</button>
                  <button class="action danger confirm-yes" @click=${()=>this.skip(n)}>${this.t("yes")}</button>
                </div>`:l}`:o`<div class="muted">${this.t("no_objects")}</div>`}
    </ha-card>`}toggle(t){this.selected=Qe(this.plate?.objects??[],this.selected,t),this.confirming=!1}skip(t){this.confirming=!1,this.selected=new Set,this.hass?.callService("bambu_cloud","skip_objects",{device_id:this.config?.device_id,objects:t})}getCardSize(){return 8}};B.properties={...h.properties,plate:{state:!0},selected:{state:!0},confirming:{state:!0}},B.styles=[h.baseStyles,f`
      .hint {
        margin-bottom: 8px;
      }
      .plate {
        position: relative;
        width: 100%;
        max-width: 420px;
        aspect-ratio: 1;
        margin: 0 auto;
        border-radius: 8px;
        background: var(--secondary-background-color);
        overflow: hidden;
      }
      .plate img,
      .plate svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
      }
      .plate img {
        object-fit: fill;
      }
      g.object {
        cursor: pointer;
      }
      g.object.skipped {
        cursor: default;
      }
      rect.object {
        fill: rgba(255, 255, 255, 0.08);
        stroke: #fff;
        stroke-width: 6;
        stroke-dasharray: 18 10;
      }
      g.object text {
        fill: #fff;
        font-size: 44px;
        font-weight: 600;
        text-anchor: middle;
        dominant-baseline: central;
        paint-order: stroke;
        stroke: rgba(0, 0, 0, 0.7);
        stroke-width: 8px;
        pointer-events: none;
      }
      rect.object.selected {
        fill: color-mix(in srgb, var(--error-color) 45%, transparent);
        stroke: var(--error-color);
        stroke-width: 10;
        stroke-dasharray: none;
      }
      rect.object.skipped {
        fill: rgba(0, 0, 0, 0.6);
        stroke: #888;
      }
      g.object.skipped text {
        text-decoration: line-through;
        fill: #bbb;
      }
      .objects {
        list-style: none;
        padding: 0;
        margin: 10px 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .object-name {
        font: inherit;
        border-radius: 14px;
        padding: 4px 10px;
        border: 1px solid var(--divider-color);
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        cursor: pointer;
      }
      .object-name.selected {
        border-color: var(--error-color);
        color: var(--error-color);
      }
      .object-name.skipped {
        text-decoration: line-through;
        opacity: 0.6;
      }
    `];function $t(r){let e=k(r.locale?.language??r.language),t=s=>r.devices[s]?.name_by_user||r.devices[s]?.name||e.printer;return{views:[{title:"Bambu Lab",path:"printers",type:"sections",max_columns:3,sections:Y(r).sort((s,a)=>t(s).localeCompare(t(a))).map(s=>({type:"grid",cards:[{type:"heading",heading:t(s)},{type:"custom:bambu-printer-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-ams-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-skip-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-history-card",device_id:s,grid_options:{columns:12}}]}))}]}}var te=class extends HTMLElement{static async generate(e,t){return $t(t)}};var xt=[["bambu-printer-card",M],["bambu-ams-card",L],["bambu-skip-card",B],["bambu-history-card",P],["bambu-card-editor",W],["ll-strategy-dashboard-bambu-cloud",te]];for(let[r,e]of xt)customElements.get(r)||customElements.define(r,e);var S=k(document.documentElement.lang||navigator.language),kt="https://github.com/bambu-cloud/ha-bambu-cloud#dashboard-cards";window.customCards=window.customCards??[];for(let[r,e,t]of[["bambu-printer-card",S.printer_card,S.printer_card_description],["bambu-ams-card",S.ams_card,S.ams_card_description],["bambu-skip-card",S.skip_card,S.skip_card_description],["bambu-history-card",S.history_card,S.history_card_description]])window.customCards.some(i=>i.type===r)||window.customCards.push({type:r,name:e,description:t,preview:!0,documentationURL:kt});
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
