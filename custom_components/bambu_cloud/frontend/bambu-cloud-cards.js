// bambu-cloud-cards source-hash: 6324eebe100ec50a9a0c9ce002afd0d70cf661731260cbe4a155feb3d1dbaf59
var q=globalThis,W=q.ShadowRoot&&(q.ShadyCSS===void 0||q.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,re=Symbol(),ye=new WeakMap,D=class{constructor(e,t,r){if(this._$cssResult$=!0,r!==re)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(W&&e===void 0){let r=t!==void 0&&t.length===1;r&&(e=ye.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),r&&ye.set(t,e))}return e}toString(){return this.cssText}},ke=i=>new D(typeof i=="string"?i:i+"",void 0,re),b=(i,...e)=>{let t=i.length===1?i[0]:e.reduce((r,n,s)=>r+(a=>{if(a._$cssResult$===!0)return a.cssText;if(typeof a=="number")return a;throw Error("Value passed to 'css' function must be a 'css' function result: "+a+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+i[s+1],i[0]);return new D(t,i,re)},ve=(i,e)=>{if(W)i.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let r=document.createElement("style"),n=q.litNonce;n!==void 0&&r.setAttribute("nonce",n),r.textContent=t.cssText,i.appendChild(r)}},ie=W?i=>i:i=>i instanceof CSSStyleSheet?(e=>{let t="";for(let r of e.cssRules)t+=r.cssText;return ke(t)})(i):i;var{is:Qe,defineProperty:Ye,getOwnPropertyDescriptor:Xe,getOwnPropertyNames:et,getOwnPropertySymbols:tt,getPrototypeOf:rt}=Object,Z=globalThis,$e=Z.trustedTypes,it=$e?$e.emptyScript:"",nt=Z.reactiveElementPolyfillSupport,H=(i,e)=>i,ne={toAttribute(i,e){switch(e){case Boolean:i=i?it:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,e){let t=i;switch(e){case Boolean:t=i!==null;break;case Number:t=i===null?null:Number(i);break;case Object:case Array:try{t=JSON.parse(i)}catch{t=null}}return t}},Se=(i,e)=>!Qe(i,e),xe={attribute:!0,type:String,converter:ne,reflect:!1,useDefault:!1,hasChanged:Se};Symbol.metadata??=Symbol("metadata"),Z.litPropertyMetadata??=new WeakMap;var y=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=xe){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let r=Symbol(),n=this.getPropertyDescriptor(e,r,t);n!==void 0&&Ye(this.prototype,e,n)}}static getPropertyDescriptor(e,t,r){let{get:n,set:s}=Xe(this.prototype,e)??{get(){return this[t]},set(a){this[t]=a}};return{get:n,set(a){let o=n?.call(this);s?.call(this,a),this.requestUpdate(e,o,r)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??xe}static _$Ei(){if(this.hasOwnProperty(H("elementProperties")))return;let e=rt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(H("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(H("properties"))){let t=this.properties,r=[...et(t),...tt(t)];for(let n of r)this.createProperty(n,t[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[r,n]of t)this.elementProperties.set(r,n)}this._$Eh=new Map;for(let[t,r]of this.elementProperties){let n=this._$Eu(t,r);n!==void 0&&this._$Eh.set(n,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let r=new Set(e.flat(1/0).reverse());for(let n of r)t.unshift(ie(n))}else e!==void 0&&t.push(ie(e));return t}static _$Eu(e,t){let r=t.attribute;return r===!1?void 0:typeof r=="string"?r:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let r of t.keys())this.hasOwnProperty(r)&&(e.set(r,this[r]),delete this[r]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ve(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,r){this._$AK(e,r)}_$ET(e,t){let r=this.constructor.elementProperties.get(e),n=this.constructor._$Eu(e,r);if(n!==void 0&&r.reflect===!0){let s=(r.converter?.toAttribute!==void 0?r.converter:ne).toAttribute(t,r.type);this._$Em=e,s==null?this.removeAttribute(n):this.setAttribute(n,s),this._$Em=null}}_$AK(e,t){let r=this.constructor,n=r._$Eh.get(e);if(n!==void 0&&this._$Em!==n){let s=r.getPropertyOptions(n),a=typeof s.converter=="function"?{fromAttribute:s.converter}:s.converter?.fromAttribute!==void 0?s.converter:ne;this._$Em=n;let o=a.fromAttribute(t,s.type);this[n]=o??this._$Ej?.get(n)??o,this._$Em=null}}requestUpdate(e,t,r,n=!1,s){if(e!==void 0){let a=this.constructor;if(n===!1&&(s=this[e]),r??=a.getPropertyOptions(e),!((r.hasChanged??Se)(s,t)||r.useDefault&&r.reflect&&s===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,r))))return;this.C(e,t,r)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:r,reflect:n,wrapped:s},a){r&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),s!==!0||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||r||(t=void 0),this._$AL.set(e,t)),n===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,s]of this._$Ep)this[n]=s;this._$Ep=void 0}let r=this.constructor.elementProperties;if(r.size>0)for(let[n,s]of r){let{wrapped:a}=s,o=this[n];a!==!0||this._$AL.has(n)||o===void 0||this.C(n,void 0,s,o)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(r=>r.hostUpdate?.()),this.update(t)):this._$EM()}catch(r){throw e=!1,this._$EM(),r}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};y.elementStyles=[],y.shadowRootOptions={mode:"open"},y[H("elementProperties")]=new Map,y[H("finalized")]=new Map,nt?.({ReactiveElement:y}),(Z.reactiveElementVersions??=[]).push("2.1.2");var pe=globalThis,we=i=>i,J=pe.trustedTypes,Ae=J?J.createPolicy("lit-html",{createHTML:i=>i}):void 0,Le="$lit$",$=`lit$${Math.random().toFixed(9).slice(2)}$`,Ce="?"+$,st=`<${Ce}>`,z=document,N=()=>z.createComment(""),O=i=>i===null||typeof i!="object"&&typeof i!="function",me=Array.isArray,at=i=>me(i)||typeof i?.[Symbol.iterator]=="function",se=`[ 	
\f\r]`,R=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ze=/-->/g,je=/>/g,w=RegExp(`>|${se}(?:([^\\s"'>=/]+)(${se}*=${se}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Be=/'/g,Te=/"/g,Me=/^(?:script|style|textarea|title)$/i,ue=i=>(e,...t)=>({_$litType$:i,strings:e,values:t}),c=ue(1),G=ue(2),Ut=ue(3),j=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ee=new WeakMap,A=z.createTreeWalker(z,129);function Pe(i,e){if(!me(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return Ae!==void 0?Ae.createHTML(e):e}var ot=(i,e)=>{let t=i.length-1,r=[],n,s=e===2?"<svg>":e===3?"<math>":"",a=R;for(let o=0;o<t;o++){let l=i[o],m,u,p=-1,_=0;for(;_<l.length&&(a.lastIndex=_,u=a.exec(l),u!==null);)_=a.lastIndex,a===R?u[1]==="!--"?a=ze:u[1]!==void 0?a=je:u[2]!==void 0?(Me.test(u[2])&&(n=RegExp("</"+u[2],"g")),a=w):u[3]!==void 0&&(a=w):a===w?u[0]===">"?(a=n??R,p=-1):u[1]===void 0?p=-2:(p=a.lastIndex-u[2].length,m=u[1],a=u[3]===void 0?w:u[3]==='"'?Te:Be):a===Te||a===Be?a=w:a===ze||a===je?a=R:(a=w,n=void 0);let v=a===w&&i[o+1].startsWith("/>")?" ":"";s+=a===R?l+st:p>=0?(r.push(m),l.slice(0,p)+Le+l.slice(p)+$+v):l+$+(p===-2?o:v)}return[Pe(i,s+(i[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),r]},U=class i{constructor({strings:e,_$litType$:t},r){let n;this.parts=[];let s=0,a=0,o=e.length-1,l=this.parts,[m,u]=ot(e,t);if(this.el=i.createElement(m,r),A.currentNode=this.el.content,t===2||t===3){let p=this.el.content.firstChild;p.replaceWith(...p.childNodes)}for(;(n=A.nextNode())!==null&&l.length<o;){if(n.nodeType===1){if(n.hasAttributes())for(let p of n.getAttributeNames())if(p.endsWith(Le)){let _=u[a++],v=n.getAttribute(p).split($),K=/([.?@])?(.*)/.exec(_);l.push({type:1,index:s,name:K[2],strings:v,ctor:K[1]==="."?oe:K[1]==="?"?ce:K[1]==="@"?le:T}),n.removeAttribute(p)}else p.startsWith($)&&(l.push({type:6,index:s}),n.removeAttribute(p));if(Me.test(n.tagName)){let p=n.textContent.split($),_=p.length-1;if(_>0){n.textContent=J?J.emptyScript:"";for(let v=0;v<_;v++)n.append(p[v],N()),A.nextNode(),l.push({type:2,index:++s});n.append(p[_],N())}}}else if(n.nodeType===8)if(n.data===Ce)l.push({type:2,index:s});else{let p=-1;for(;(p=n.data.indexOf($,p+1))!==-1;)l.push({type:7,index:s}),p+=$.length-1}s++}}static createElement(e,t){let r=z.createElement("template");return r.innerHTML=e,r}};function B(i,e,t=i,r){if(e===j)return e;let n=r!==void 0?t._$Co?.[r]:t._$Cl,s=O(e)?void 0:e._$litDirective$;return n?.constructor!==s&&(n?._$AO?.(!1),s===void 0?n=void 0:(n=new s(i),n._$AT(i,t,r)),r!==void 0?(t._$Co??=[])[r]=n:t._$Cl=n),n!==void 0&&(e=B(i,n._$AS(i,e.values),n,r)),e}var ae=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:r}=this._$AD,n=(e?.creationScope??z).importNode(t,!0);A.currentNode=n;let s=A.nextNode(),a=0,o=0,l=r[0];for(;l!==void 0;){if(a===l.index){let m;l.type===2?m=new F(s,s.nextSibling,this,e):l.type===1?m=new l.ctor(s,l.name,l.strings,this,e):l.type===6&&(m=new de(s,this,e)),this._$AV.push(m),l=r[++o]}a!==l?.index&&(s=A.nextNode(),a++)}return A.currentNode=z,n}p(e){let t=0;for(let r of this._$AV)r!==void 0&&(r.strings!==void 0?(r._$AI(e,r,t),t+=r.strings.length-2):r._$AI(e[t])),t++}},F=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,r,n){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=r,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=B(this,e,t),O(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==j&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):at(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&O(this._$AH)?this._$AA.nextSibling.data=e:this.T(z.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:r}=e,n=typeof r=="number"?this._$AC(e):(r.el===void 0&&(r.el=U.createElement(Pe(r.h,r.h[0]),this.options)),r);if(this._$AH?._$AD===n)this._$AH.p(t);else{let s=new ae(n,this),a=s.u(this.options);s.p(t),this.T(a),this._$AH=s}}_$AC(e){let t=Ee.get(e.strings);return t===void 0&&Ee.set(e.strings,t=new U(e)),t}k(e){me(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,r,n=0;for(let s of e)n===t.length?t.push(r=new i(this.O(N()),this.O(N()),this,this.options)):r=t[n],r._$AI(s),n++;n<t.length&&(this._$AR(r&&r._$AB.nextSibling,n),t.length=n)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let r=we(e).nextSibling;we(e).remove(),e=r}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},T=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,r,n,s){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=n,this.options=s,r.length>2||r[0]!==""||r[1]!==""?(this._$AH=Array(r.length-1).fill(new String),this.strings=r):this._$AH=d}_$AI(e,t=this,r,n){let s=this.strings,a=!1;if(s===void 0)e=B(this,e,t,0),a=!O(e)||e!==this._$AH&&e!==j,a&&(this._$AH=e);else{let o=e,l,m;for(e=s[0],l=0;l<s.length-1;l++)m=B(this,o[r+l],t,l),m===j&&(m=this._$AH[l]),a||=!O(m)||m!==this._$AH[l],m===d?e=d:e!==d&&(e+=(m??"")+s[l+1]),this._$AH[l]=m}a&&!n&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},oe=class extends T{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},ce=class extends T{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},le=class extends T{constructor(e,t,r,n,s){super(e,t,r,n,s),this.type=5}_$AI(e,t=this){if((e=B(this,e,t,0)??d)===j)return;let r=this._$AH,n=e===d&&r!==d||e.capture!==r.capture||e.once!==r.once||e.passive!==r.passive,s=e!==d&&(r===d||n);n&&this.element.removeEventListener(this.name,this,r),s&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},de=class{constructor(e,t,r){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=r}get _$AU(){return this._$AM._$AU}_$AI(e){B(this,e)}};var ct=pe.litHtmlPolyfillSupport;ct?.(U,F),(pe.litHtmlVersions??=[]).push("3.3.3");var De=(i,e,t)=>{let r=t?.renderBefore??e,n=r._$litPart$;if(n===void 0){let s=t?.renderBefore??null;r._$litPart$=n=new F(e.insertBefore(N(),s),s,void 0,t??{})}return n._$AI(i),n};var he=globalThis,f=class extends y{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=De(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return j}};f._$litElement$=!0,f.finalized=!0,he.litElementHydrateSupport?.({LitElement:f});var lt=he.litElementPolyfillSupport;lt?.({LitElement:f});(he.litElementVersions??=[]).push("4.2.2");var He="bambu_cloud";function dt(i,e){let t=new Map;for(let r of Object.values(i)){if(!r||r.platform!==He||r.device_id!==e||!r.translation_key)continue;let s=`${r.entity_id.split(".",1)[0]}.${r.translation_key}`,a=t.get(s);(a===void 0||r.entity_id<a)&&t.set(s,r.entity_id)}return t}function Y(i){let e=new Set;for(let t of Object.values(i.entities))t?.platform===He&&t.translation_key==="print_status"&&t.device_id&&e.add(t.device_id);return[...e].sort()}var Q=class{constructor(e,t){this.hass=e;this.ids=dt(e.entities,t)}id(e){return this.ids.get(e)}state(e){let t=this.ids.get(e);return t===void 0?void 0:this.hass.states[t]}number(e){return g(this.state(e)?.state)}};function g(i){if(typeof i=="number")return Number.isFinite(i)?i:void 0;if(typeof i!="string"||i.trim()==="")return;let e=Number(i);return Number.isFinite(e)?e:void 0}function k(i){return i!==void 0&&i.state!=="unknown"&&i.state!=="unavailable"}function be(i,e,t=!1){let r=i?.attributes??{},n=Array.isArray(r.colors)?r.colors.filter(a=>typeof a=="string"):[],s=g(e?.state)??g(r.remaining);return{color:typeof r.color=="string"?r.color:null,colors:n,type:typeof r.type=="string"&&r.type?r.type:null,empty:i?.state==="empty",remaining:s!==void 0&&s>=0&&!(t&&s===0)?s:void 0}}function Re(i,e){if(!i||i.state==="unavailable"||i.state==="none")return;let t=g(i.attributes.tray);if(t===void 0)return;if(i.attributes.external===!0)return{amsId:e,slot:t-1};let r=g(i.attributes.ams_id);return r===void 0?void 0:{amsId:r,slot:t-1}}function Ne(i){let e=/^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(i);if(e)return[parseInt(e[1],16),parseInt(e[2],16),parseInt(e[3],16)]}function E(i,e={h:"h",min:"min"}){if(i===void 0||!Number.isFinite(i)||i<0)return;let t=Math.round(i),r=Math.floor(t/60),n=t%60;return r===0?`${n} ${e.min}`:`${r} ${e.h} ${String(n).padStart(2,"0")} ${e.min}`}function I(i,e){let t=i===void 0?"\u2014":`${Math.round(i)}`;return e===void 0||e<=0?`${t} \xB0C`:`${t} / ${Math.round(e)} \xB0C`}function Oe(i,e){let t=2*Math.PI*e,r=Math.min(100,Math.max(0,i??0));return{circumference:t,offset:t*(1-r/100)}}function Ue(i){let e=/^#?([0-9a-f]{6})/i.exec(i??"");if(!e)return"var(--primary-text-color)";let t=parseInt(e[1],16),r=s=>{let a=(t>>s&255)/255;return a<=.03928?a/12.92:((a+.055)/1.055)**2.4};return .2126*r(16)+.7152*r(8)+.0722*r(0)>.179?"#000000":"#ffffff"}function X(i,e){let t=(e??[]).filter(n=>/^#[0-9a-f]{6}$/i.test(n));if(t.length>1){let n=100/t.length;return`linear-gradient(90deg, ${t.map((a,o)=>`${a} ${o*n}% ${(o+1)*n}%`).join(", ")})`}let r=t[0]??i;return r&&/^#[0-9a-f]{6}$/i.test(r)?r:"transparent"}function Fe(i,e){if(!i)return;let t=new Date(i);if(!Number.isNaN(t.getTime()))return t.toLocaleTimeString(e,{hour:"2-digit",minute:"2-digit"})}var fe={printer_card:"Bambu printer",printer_card_description:"Status, progress, temperatures and controls of a Bambu Lab printer.",ams_card:"Bambu AMS",ams_card_description:"Every AMS unit and spool of a Bambu Lab printer, in its filament colours.",skip_card:"Bambu skip objects",skip_card_description:"Pick objects of the running print on the plate to skip them.",printer:"Printer",show_camera:"Show the live camera instead of the cover",choose_printer:"Choose a printer in the card's settings.",layer:"Layer",remaining:"Remaining",ends:"Ends at",nozzle:"Nozzle",nozzle_n:"Nozzle {n}",bed:"Bed",chamber:"Chamber",pause:"Pause",resume:"Resume",stop:"Stop",confirm_pause:"Pause the print?",confirm_stop:"Stop the print? It cannot be resumed.",yes:"Yes",cancel:"Cancel",light:"Light",speed:"Speed",filament:"Filament",unknown:"Unknown",learn_more:"Learn more",humidity:"Humidity",temperature:"Temperature",drying:"Drying",drying_left:"Drying, {time} left",external:"External spool",left:"{n} % left",load:"Load",unload:"Unload",set_filament:"Set filament",type:"Type",color:"Colour",save:"Save",no_ams:"This printer has no AMS or external spool.",tap_objects:"Tap the objects to skip.",skip_n:"Skip {n}",confirm_skip:"Skip {names}? This cannot be undone.",skipped:"Skipped",no_objects:"The current job has no objects to skip.",minutes:"min",hours:"h",history_card:"Bambu print history",history_card_description:"The last prints of a Bambu Lab printer: cover, result, duration and filament.",no_jobs:"No prints in the history yet.",finished:"Finished",failed:"Failed",skip:"Skip"},pt={printer_card:"Impressora Bambu",printer_card_description:"Estat, progr\xE9s, temperatures i controls d'una impressora Bambu Lab.",ams_card:"AMS de Bambu",ams_card_description:"Cada unitat AMS i bobina d'una impressora Bambu Lab, amb els colors del seu filament.",skip_card:"Omet objectes de Bambu",skip_card_description:"Tria a la placa objectes de la impressi\xF3 en curs per ometre'ls.",printer:"Impressora",show_camera:"Mostra la c\xE0mera en directe en lloc de la portada",choose_printer:"Tria una impressora a la configuraci\xF3 de la targeta.",layer:"Capa",remaining:"Restant",ends:"Acaba a les",nozzle:"Broquet",nozzle_n:"Broquet {n}",bed:"Llit",chamber:"Cambra",pause:"Posa en pausa",resume:"Repr\xE8n",stop:"Atura",confirm_pause:"Vols posar en pausa la impressi\xF3?",confirm_stop:"Vols aturar la impressi\xF3? No es podr\xE0 reprendre.",yes:"S\xED",cancel:"Cancel\xB7la",light:"Llum",speed:"Velocitat",filament:"Filament",unknown:"Desconegut",learn_more:"M\xE9s informaci\xF3",humidity:"Humitat",temperature:"Temperatura",drying:"Assecant",drying_left:"Assecant, falten {time}",external:"Bobina externa",left:"Queda un {n} %",load:"Carrega",unload:"Descarrega",set_filament:"Defineix el filament",type:"Tipus",color:"Color",save:"Desa",no_ams:"Aquesta impressora no t\xE9 AMS ni bobina externa.",tap_objects:"Toca els objectes que vulguis ometre.",skip_n:"Omet {n}",confirm_skip:"Vols ometre {names}? No es pot desfer.",skipped:"Om\xE8s",no_objects:"El treball actual no t\xE9 objectes per ometre.",minutes:"min",hours:"h",history_card:"Historial d'impressions de Bambu",history_card_description:"Les \xFAltimes impressions d'una impressora Bambu Lab: portada, resultat, durada i filament.",no_jobs:"Encara no hi ha impressions a l'historial.",finished:"Acabada",failed:"Fallida",skip:"Omet"},mt={printer_card:"Tisk\xE1rna Bambu",printer_card_description:"Stav, pr\u016Fb\u011Bh, teploty a ovl\xE1d\xE1n\xED tisk\xE1rny Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"V\u0161echny jednotky AMS a c\xEDvky tisk\xE1rny Bambu Lab v barv\xE1ch jejich filamentu.",skip_card:"P\u0159esko\u010Den\xED objekt\u016F Bambu",skip_card_description:"Vyberte na desce objekty prob\xEDhaj\xEDc\xEDho tisku, kter\xE9 se maj\xED p\u0159esko\u010Dit.",printer:"Tisk\xE1rna",show_camera:"Zobrazit \u017Eivou kameru m\xEDsto n\xE1hledu",choose_printer:"Vyberte tisk\xE1rnu v nastaven\xED karty.",layer:"Vrstva",remaining:"Zb\xFDv\xE1",ends:"Konec v",nozzle:"Tryska",nozzle_n:"Tryska {n}",bed:"Podlo\u017Eka",chamber:"Komora",pause:"Pozastavit",resume:"Obnovit",stop:"Zastavit",confirm_pause:"Pozastavit tisk?",confirm_stop:"Zastavit tisk? Nebude mo\u017En\xE9 jej obnovit.",yes:"Ano",cancel:"Zru\u0161it",light:"Osv\u011Btlen\xED",speed:"Rychlost",filament:"Filament",unknown:"Nezn\xE1m\xE9",learn_more:"Dal\u0161\xED informace",humidity:"Vlhkost",temperature:"Teplota",drying:"Su\u0161en\xED",drying_left:"Su\u0161en\xED, zb\xFDv\xE1 {time}",external:"Extern\xED c\xEDvka",left:"Zb\xFDv\xE1 {n} %",load:"Zav\xE9st",unload:"Vysunout",set_filament:"Nastavit filament",type:"Typ",color:"Barva",save:"Ulo\u017Eit",no_ams:"Tato tisk\xE1rna nem\xE1 AMS ani extern\xED c\xEDvku.",tap_objects:"Klepn\u011Bte na objekty, kter\xE9 chcete p\u0159esko\u010Dit.",skip_n:"P\u0159esko\u010Dit ({n})",confirm_skip:"P\u0159esko\u010Dit {names}? Tuto akci nelze vr\xE1tit zp\u011Bt.",skipped:"P\u0159esko\u010Deno",no_objects:"Aktu\xE1ln\xED \xFAloha nem\xE1 \u017E\xE1dn\xE9 objekty k p\u0159esko\u010Den\xED.",minutes:"min",hours:"h",history_card:"Historie tisku Bambu",history_card_description:"Posledn\xED tisky tisk\xE1rny Bambu Lab: n\xE1hled, v\xFDsledek, doba trv\xE1n\xED a filament.",no_jobs:"V historii zat\xEDm nejsou \u017E\xE1dn\xE9 tisky.",finished:"Dokon\u010Deno",failed:"Selhalo",skip:"P\u0159esko\u010Dit"},ut={printer_card:"Bambu-printer",printer_card_description:"Status, fremskridt, temperaturer og betjening af en Bambu Lab-printer.",ams_card:"Bambu AMS",ams_card_description:"Alle AMS-enheder og spoler i en Bambu Lab-printer i deres filamentfarver.",skip_card:"Spring Bambu-objekter over",skip_card_description:"V\xE6lg objekter fra det igangv\xE6rende print p\xE5 pladen for at springe dem over.",printer:"Printer",show_camera:"Vis livekameraet i stedet for forsiden",choose_printer:"V\xE6lg en printer i kortets indstillinger.",layer:"Lag",remaining:"Tilbage",ends:"F\xE6rdig kl.",nozzle:"Dyse",nozzle_n:"Dyse {n}",bed:"Plade",chamber:"Kammer",pause:"S\xE6t p\xE5 pause",resume:"Genoptag",stop:"Stop",confirm_pause:"Vil du s\xE6tte printet p\xE5 pause?",confirm_stop:"Vil du stoppe printet? Det kan ikke genoptages.",yes:"Ja",cancel:"Annuller",light:"Lys",speed:"Hastighed",filament:"Filament",unknown:"Ukendt",learn_more:"F\xE5 mere at vide",humidity:"Luftfugtighed",temperature:"Temperatur",drying:"T\xF8rrer",drying_left:"T\xF8rrer, {time} tilbage",external:"Ekstern spole",left:"{n} % tilbage",load:"Indf\xF8r",unload:"Fjern",set_filament:"Angiv filament",type:"Type",color:"Farve",save:"Gem",no_ams:"Denne printer har hverken AMS eller ekstern spole.",tap_objects:"Tryk p\xE5 de objekter, der skal springes over.",skip_n:"Spring {n} over",confirm_skip:"Vil du springe {names} over? Det kan ikke fortrydes.",skipped:"Sprunget over",no_objects:"Det aktuelle job har ingen objekter at springe over.",minutes:"min",hours:"t",history_card:"Bambu-printhistorik",history_card_description:"De seneste print fra en Bambu Lab-printer: forside, resultat, varighed og filament.",no_jobs:"Ingen print i historikken endnu.",finished:"F\xE6rdig",failed:"Mislykket",skip:"Spring over"},ht={printer_card:"Bambu-Drucker",printer_card_description:"Status, Fortschritt, Temperaturen und Steuerung eines Bambu-Lab-Druckers.",ams_card:"Bambu AMS",ams_card_description:"Alle AMS-Einheiten und Spulen eines Bambu-Lab-Druckers in ihren Filamentfarben.",skip_card:"Bambu Objekte \xFCberspringen",skip_card_description:"Objekte des laufenden Drucks auf der Platte ausw\xE4hlen und \xFCberspringen.",printer:"Drucker",show_camera:"Live-Kamera statt Vorschaubild zeigen",choose_printer:"W\xE4hle in den Einstellungen der Karte einen Drucker.",layer:"Schicht",remaining:"Verbleibend",ends:"Fertig um",nozzle:"D\xFCse",nozzle_n:"D\xFCse {n}",bed:"Bett",chamber:"Bauraum",pause:"Pausieren",resume:"Fortsetzen",stop:"Stoppen",confirm_pause:"Druck pausieren?",confirm_stop:"Druck stoppen? Er kann nicht fortgesetzt werden.",yes:"Ja",cancel:"Abbrechen",light:"Licht",speed:"Geschwindigkeit",filament:"Filament",unknown:"Unbekannt",learn_more:"Mehr erfahren",humidity:"Luftfeuchtigkeit",temperature:"Temperatur",drying:"Trocknet",drying_left:"Trocknet, noch {time}",external:"Externe Spule",left:"{n} % \xFCbrig",load:"Laden",unload:"Entladen",set_filament:"Filament festlegen",type:"Typ",color:"Farbe",save:"Speichern",no_ams:"Dieser Drucker hat kein AMS und keine externe Spule.",tap_objects:"Tippe auf die Objekte, die \xFCbersprungen werden sollen.",skip_n:"{n} \xFCberspringen",confirm_skip:"{names} \xFCberspringen? Das l\xE4sst sich nicht r\xFCckg\xE4ngig machen.",skipped:"\xDCbersprungen",no_objects:"Der aktuelle Druck hat keine Objekte zum \xDCberspringen.",minutes:"Min.",hours:"Std.",history_card:"Bambu-Druckverlauf",history_card_description:"Die letzten Drucke eines Bambu-Lab-Druckers: Vorschaubild, Ergebnis, Dauer und Filament.",no_jobs:"Noch keine Drucke im Verlauf.",finished:"Fertig",failed:"Fehlgeschlagen",skip:"\xDCberspringen"},bt={printer_card:"\u0395\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE\u03C2 Bambu",printer_card_description:"\u039A\u03B1\u03C4\u03AC\u03C3\u03C4\u03B1\u03C3\u03B7, \u03C0\u03C1\u03CC\u03BF\u03B4\u03BF\u03C2, \u03B8\u03B5\u03C1\u03BC\u03BF\u03BA\u03C1\u03B1\u03C3\u03AF\u03B5\u03C2 \u03BA\u03B1\u03B9 \u03C7\u03B5\u03B9\u03C1\u03B9\u03C3\u03C4\u03AE\u03C1\u03B9\u03B1 \u03B5\u03BD\u03CC\u03C2 \u03B5\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"\u039A\u03AC\u03B8\u03B5 \u03BC\u03BF\u03BD\u03AC\u03B4\u03B1 AMS \u03BA\u03B1\u03B9 \u03BA\u03B1\u03C1\u03BF\u03CD\u03BB\u03B9 \u03B5\u03BD\u03CC\u03C2 \u03B5\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE Bambu Lab, \u03C3\u03C4\u03B1 \u03C7\u03C1\u03CE\u03BC\u03B1\u03C4\u03B1 \u03C4\u03BF\u03C5 \u03BD\u03AE\u03BC\u03B1\u03C4\u03CC\u03C2 \u03C4\u03BF\u03C5\u03C2.",skip_card:"\u03A0\u03B1\u03C1\u03AC\u03BB\u03B5\u03B9\u03C8\u03B7 \u03B1\u03BD\u03C4\u03B9\u03BA\u03B5\u03B9\u03BC\u03AD\u03BD\u03C9\u03BD Bambu",skip_card_description:"\u0395\u03C0\u03B9\u03BB\u03AD\u03BE\u03C4\u03B5 \u03C3\u03C4\u03B7\u03BD \u03C0\u03BB\u03AC\u03BA\u03B1 \u03B1\u03BD\u03C4\u03B9\u03BA\u03B5\u03AF\u03BC\u03B5\u03BD\u03B1 \u03C4\u03B7\u03C2 \u03C4\u03C1\u03AD\u03C7\u03BF\u03C5\u03C3\u03B1\u03C2 \u03B5\u03BA\u03C4\u03CD\u03C0\u03C9\u03C3\u03B7\u03C2 \u03B3\u03B9\u03B1 \u03BD\u03B1 \u03C0\u03B1\u03C1\u03B1\u03BB\u03B5\u03B9\u03C6\u03B8\u03BF\u03CD\u03BD.",printer:"\u0395\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE\u03C2",show_camera:"\u0395\u03BC\u03C6\u03AC\u03BD\u03B9\u03C3\u03B7 \u03C4\u03B7\u03C2 \u03B6\u03C9\u03BD\u03C4\u03B1\u03BD\u03AE\u03C2 \u03BA\u03AC\u03BC\u03B5\u03C1\u03B1\u03C2 \u03B1\u03BD\u03C4\u03AF \u03B3\u03B9\u03B1 \u03C4\u03BF \u03B5\u03BE\u03CE\u03C6\u03C5\u03BB\u03BB\u03BF",choose_printer:"\u0395\u03C0\u03B9\u03BB\u03AD\u03BE\u03C4\u03B5 \u03AD\u03BD\u03B1\u03BD \u03B5\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE \u03C3\u03C4\u03B9\u03C2 \u03C1\u03C5\u03B8\u03BC\u03AF\u03C3\u03B5\u03B9\u03C2 \u03C4\u03B7\u03C2 \u03BA\u03AC\u03C1\u03C4\u03B1\u03C2.",layer:"\u03A3\u03C4\u03C1\u03CE\u03C3\u03B7",remaining:"\u0391\u03C0\u03BF\u03BC\u03AD\u03BD\u03B5\u03B9",ends:"\u039B\u03AE\u03BE\u03B7 \u03C3\u03C4\u03B9\u03C2",nozzle:"\u0391\u03BA\u03C1\u03BF\u03C6\u03CD\u03C3\u03B9\u03BF",nozzle_n:"\u0391\u03BA\u03C1\u03BF\u03C6\u03CD\u03C3\u03B9\u03BF {n}",bed:"\u03A0\u03BB\u03B1\u03C4\u03C6\u03CC\u03C1\u03BC\u03B1",chamber:"\u0398\u03AC\u03BB\u03B1\u03BC\u03BF\u03C2",pause:"\u03A0\u03B1\u03CD\u03C3\u03B7",resume:"\u03A3\u03C5\u03BD\u03AD\u03C7\u03B9\u03C3\u03B7",stop:"\u0394\u03B9\u03B1\u03BA\u03BF\u03C0\u03AE",confirm_pause:"\u03A0\u03B1\u03CD\u03C3\u03B7 \u03C4\u03B7\u03C2 \u03B5\u03BA\u03C4\u03CD\u03C0\u03C9\u03C3\u03B7\u03C2;",confirm_stop:"\u0394\u03B9\u03B1\u03BA\u03BF\u03C0\u03AE \u03C4\u03B7\u03C2 \u03B5\u03BA\u03C4\u03CD\u03C0\u03C9\u03C3\u03B7\u03C2; \u0394\u03B5\u03BD \u03B8\u03B1 \u03BC\u03C0\u03BF\u03C1\u03B5\u03AF \u03BD\u03B1 \u03C3\u03C5\u03BD\u03B5\u03C7\u03B9\u03C3\u03C4\u03B5\u03AF.",yes:"\u039D\u03B1\u03B9",cancel:"\u0391\u03BA\u03CD\u03C1\u03C9\u03C3\u03B7",light:"\u03A6\u03C9\u03C4\u03B9\u03C3\u03BC\u03CC\u03C2",speed:"\u03A4\u03B1\u03C7\u03CD\u03C4\u03B7\u03C4\u03B1",filament:"\u039D\u03AE\u03BC\u03B1",unknown:"\u0386\u03B3\u03BD\u03C9\u03C3\u03C4\u03BF",learn_more:"\u039C\u03AC\u03B8\u03B5\u03C4\u03B5 \u03C0\u03B5\u03C1\u03B9\u03C3\u03C3\u03CC\u03C4\u03B5\u03C1\u03B1",humidity:"\u03A5\u03B3\u03C1\u03B1\u03C3\u03AF\u03B1",temperature:"\u0398\u03B5\u03C1\u03BC\u03BF\u03BA\u03C1\u03B1\u03C3\u03AF\u03B1",drying:"\u039E\u03AE\u03C1\u03B1\u03BD\u03C3\u03B7",drying_left:"\u039E\u03AE\u03C1\u03B1\u03BD\u03C3\u03B7, \u03B1\u03C0\u03BF\u03BC\u03AD\u03BD\u03BF\u03C5\u03BD {time}",external:"\u0395\u03BE\u03C9\u03C4\u03B5\u03C1\u03B9\u03BA\u03CC \u03BA\u03B1\u03C1\u03BF\u03CD\u03BB\u03B9",left:"\u0391\u03C0\u03BF\u03BC\u03AD\u03BD\u03B5\u03B9 {n} %",load:"\u03A6\u03CC\u03C1\u03C4\u03C9\u03C3\u03B7",unload:"\u0395\u03BA\u03C6\u03CC\u03C1\u03C4\u03C9\u03C3\u03B7",set_filament:"\u039F\u03C1\u03B9\u03C3\u03BC\u03CC\u03C2 \u03BD\u03AE\u03BC\u03B1\u03C4\u03BF\u03C2",type:"\u03A4\u03CD\u03C0\u03BF\u03C2",color:"\u03A7\u03C1\u03CE\u03BC\u03B1",save:"\u0391\u03C0\u03BF\u03B8\u03AE\u03BA\u03B5\u03C5\u03C3\u03B7",no_ams:"\u0391\u03C5\u03C4\u03CC\u03C2 \u03BF \u03B5\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE\u03C2 \u03B4\u03B5\u03BD \u03AD\u03C7\u03B5\u03B9 AMS \u03BF\u03CD\u03C4\u03B5 \u03B5\u03BE\u03C9\u03C4\u03B5\u03C1\u03B9\u03BA\u03CC \u03BA\u03B1\u03C1\u03BF\u03CD\u03BB\u03B9.",tap_objects:"\u03A0\u03B1\u03C4\u03AE\u03C3\u03C4\u03B5 \u03C4\u03B1 \u03B1\u03BD\u03C4\u03B9\u03BA\u03B5\u03AF\u03BC\u03B5\u03BD\u03B1 \u03C0\u03BF\u03C5 \u03B8\u03B1 \u03C0\u03B1\u03C1\u03B1\u03BB\u03B5\u03B9\u03C6\u03B8\u03BF\u03CD\u03BD.",skip_n:"\u03A0\u03B1\u03C1\u03AC\u03BB\u03B5\u03B9\u03C8\u03B7 {n}",confirm_skip:"\u03A0\u03B1\u03C1\u03AC\u03BB\u03B5\u03B9\u03C8\u03B7 {names}; \u0397 \u03B5\u03BD\u03AD\u03C1\u03B3\u03B5\u03B9\u03B1 \u03B4\u03B5\u03BD \u03B1\u03BD\u03B1\u03B9\u03C1\u03B5\u03AF\u03C4\u03B1\u03B9.",skipped:"\u03A0\u03B1\u03C1\u03B1\u03BB\u03B5\u03AF\u03C6\u03B8\u03B7\u03BA\u03B5",no_objects:"\u0397 \u03C4\u03C1\u03AD\u03C7\u03BF\u03C5\u03C3\u03B1 \u03B5\u03C1\u03B3\u03B1\u03C3\u03AF\u03B1 \u03B4\u03B5\u03BD \u03AD\u03C7\u03B5\u03B9 \u03B1\u03BD\u03C4\u03B9\u03BA\u03B5\u03AF\u03BC\u03B5\u03BD\u03B1 \u03B3\u03B9\u03B1 \u03C0\u03B1\u03C1\u03AC\u03BB\u03B5\u03B9\u03C8\u03B7.",minutes:"\u03BB\u03B5\u03C0.",hours:"\u03CE\u03C1.",history_card:"\u0399\u03C3\u03C4\u03BF\u03C1\u03B9\u03BA\u03CC \u03B5\u03BA\u03C4\u03C5\u03C0\u03CE\u03C3\u03B5\u03C9\u03BD Bambu",history_card_description:"\u039F\u03B9 \u03C4\u03B5\u03BB\u03B5\u03C5\u03C4\u03B1\u03AF\u03B5\u03C2 \u03B5\u03BA\u03C4\u03C5\u03C0\u03CE\u03C3\u03B5\u03B9\u03C2 \u03B5\u03BD\u03CC\u03C2 \u03B5\u03BA\u03C4\u03C5\u03C0\u03C9\u03C4\u03AE Bambu Lab: \u03B5\u03BE\u03CE\u03C6\u03C5\u03BB\u03BB\u03BF, \u03B1\u03C0\u03BF\u03C4\u03AD\u03BB\u03B5\u03C3\u03BC\u03B1, \u03B4\u03B9\u03AC\u03C1\u03BA\u03B5\u03B9\u03B1 \u03BA\u03B1\u03B9 \u03BD\u03AE\u03BC\u03B1.",no_jobs:"\u0394\u03B5\u03BD \u03C5\u03C0\u03AC\u03C1\u03C7\u03BF\u03C5\u03BD \u03B1\u03BA\u03CC\u03BC\u03B7 \u03B5\u03BA\u03C4\u03C5\u03C0\u03CE\u03C3\u03B5\u03B9\u03C2 \u03C3\u03C4\u03BF \u03B9\u03C3\u03C4\u03BF\u03C1\u03B9\u03BA\u03CC.",finished:"\u039F\u03BB\u03BF\u03BA\u03BB\u03B7\u03C1\u03CE\u03B8\u03B7\u03BA\u03B5",failed:"\u0391\u03C0\u03AD\u03C4\u03C5\u03C7\u03B5",skip:"\u03A0\u03B1\u03C1\u03AC\u03BB\u03B5\u03B9\u03C8\u03B7"},ft={printer_card:"Impresora Bambu",printer_card_description:"Estado, progreso, temperaturas y controles de una impresora Bambu Lab.",ams_card:"AMS de Bambu",ams_card_description:"Cada unidad AMS y bobina de una impresora Bambu Lab, en los colores de su filamento.",skip_card:"Omitir objetos de Bambu",skip_card_description:"Elige objetos de la impresi\xF3n en curso en la placa para omitirlos.",printer:"Impresora",show_camera:"Mostrar la c\xE1mara en directo en lugar de la portada",choose_printer:"Elige una impresora en los ajustes de la tarjeta.",layer:"Capa",remaining:"Restante",ends:"Termina a las",nozzle:"Boquilla",nozzle_n:"Boquilla {n}",bed:"Cama",chamber:"C\xE1mara",pause:"Pausar",resume:"Reanudar",stop:"Detener",confirm_pause:"\xBFPausar la impresi\xF3n?",confirm_stop:"\xBFDetener la impresi\xF3n? No se podr\xE1 reanudar.",yes:"S\xED",cancel:"Cancelar",light:"Luz",speed:"Velocidad",filament:"Filamento",unknown:"Desconocido",learn_more:"M\xE1s informaci\xF3n",humidity:"Humedad",temperature:"Temperatura",drying:"Secando",drying_left:"Secando, quedan {time}",external:"Bobina externa",left:"Queda un {n} %",load:"Cargar",unload:"Descargar",set_filament:"Definir filamento",type:"Tipo",color:"Color",save:"Guardar",no_ams:"Esta impresora no tiene AMS ni bobina externa.",tap_objects:"Toca los objetos que quieras omitir.",skip_n:"Omitir {n}",confirm_skip:"\xBFOmitir {names}? No se puede deshacer.",skipped:"Omitido",no_objects:"El trabajo actual no tiene objetos que omitir.",minutes:"min",hours:"h",history_card:"Historial de impresi\xF3n Bambu",history_card_description:"Las \xFAltimas impresiones de una impresora Bambu Lab: portada, resultado, duraci\xF3n y filamento.",no_jobs:"Todav\xEDa no hay impresiones en el historial.",finished:"Terminada",failed:"Fallida",skip:"Omitir"},gt={printer_card:"Imprimante Bambu",printer_card_description:"\xC9tat, progression, temp\xE9ratures et commandes d'une imprimante Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Chaque unit\xE9 AMS et bobine d'une imprimante Bambu Lab, dans la couleur de son filament.",skip_card:"Ignorer des objets Bambu",skip_card_description:"Choisissez sur le plateau les objets de l'impression en cours \xE0 ignorer.",printer:"Imprimante",show_camera:"Afficher la cam\xE9ra en direct au lieu de l'aper\xE7u",choose_printer:"Choisissez une imprimante dans les r\xE9glages de la carte.",layer:"Couche",remaining:"Restant",ends:"Fin \xE0",nozzle:"Buse",nozzle_n:"Buse {n}",bed:"Plateau",chamber:"Caisson",pause:"Pause",resume:"Reprendre",stop:"Arr\xEAter",confirm_pause:"Mettre l'impression en pause ?",confirm_stop:"Arr\xEAter l'impression ? Elle ne pourra pas reprendre.",yes:"Oui",cancel:"Annuler",light:"Lumi\xE8re",speed:"Vitesse",filament:"Filament",unknown:"Inconnu",learn_more:"En savoir plus",humidity:"Humidit\xE9",temperature:"Temp\xE9rature",drying:"S\xE9chage",drying_left:"S\xE9chage, encore {time}",external:"Bobine externe",left:"Reste {n} %",load:"Charger",unload:"D\xE9charger",set_filament:"D\xE9finir le filament",type:"Type",color:"Couleur",save:"Enregistrer",no_ams:"Cette imprimante n'a ni AMS ni bobine externe.",tap_objects:"Touchez les objets \xE0 ignorer.",skip_n:"Ignorer {n}",confirm_skip:"Ignorer {names} ? C'est irr\xE9versible.",skipped:"Ignor\xE9",no_objects:"L'impression en cours n'a aucun objet \xE0 ignorer.",minutes:"min",hours:"h",history_card:"Historique d'impression Bambu",history_card_description:"Les derni\xE8res impressions d'une imprimante Bambu Lab : aper\xE7u, r\xE9sultat, dur\xE9e et filament.",no_jobs:"Aucune impression dans l'historique pour l'instant.",finished:"Termin\xE9e",failed:"\xC9chou\xE9e",skip:"Ignorer"},_t={printer_card:"Bambu nyomtat\xF3",printer_card_description:"Egy Bambu Lab nyomtat\xF3 \xE1llapota, halad\xE1sa, h\u0151m\xE9rs\xE9kletei \xE9s vez\xE9rl\u0151i.",ams_card:"Bambu AMS",ams_card_description:"Egy Bambu Lab nyomtat\xF3 \xF6sszes AMS-egys\xE9ge \xE9s ors\xF3ja, a filamentj\xFCk sz\xEDn\xE9ben.",skip_card:"Bambu objektumok kihagy\xE1sa",skip_card_description:"V\xE1lassza ki a lapon a fut\xF3 nyomtat\xE1s kihagyand\xF3 objektumait.",printer:"Nyomtat\xF3",show_camera:"\xC9l\u0151 kamerak\xE9p megjelen\xEDt\xE9se a bor\xEDt\xF3 helyett",choose_printer:"V\xE1lasszon nyomtat\xF3t a k\xE1rtya be\xE1ll\xEDt\xE1saiban.",layer:"R\xE9teg",remaining:"H\xE1tral\xE9v\u0151 id\u0151",ends:"Befejez\xE9s",nozzle:"F\xFAv\xF3ka",nozzle_n:"{n}. f\xFAv\xF3ka",bed:"T\xE1lca",chamber:"Kamra",pause:"Sz\xFCneteltet\xE9s",resume:"Folytat\xE1s",stop:"Le\xE1ll\xEDt\xE1s",confirm_pause:"Sz\xFCnetelteti a nyomtat\xE1st?",confirm_stop:"Le\xE1ll\xEDtja a nyomtat\xE1st? Ut\xE1na nem folytathat\xF3.",yes:"Igen",cancel:"M\xE9gse",light:"Vil\xE1g\xEDt\xE1s",speed:"Sebess\xE9g",filament:"Filament",unknown:"Ismeretlen",learn_more:"Tov\xE1bbi inform\xE1ci\xF3",humidity:"P\xE1ratartalom",temperature:"H\u0151m\xE9rs\xE9klet",drying:"Sz\xE1r\xEDt\xE1s",drying_left:"Sz\xE1r\xEDt\xE1s, m\xE9g {time}",external:"K\xFCls\u0151 ors\xF3",left:"{n} % maradt",load:"Bet\xF6lt\xE9s",unload:"Kit\xF6lt\xE9s",set_filament:"Filament be\xE1ll\xEDt\xE1sa",type:"T\xEDpus",color:"Sz\xEDn",save:"Ment\xE9s",no_ams:"Ennek a nyomtat\xF3nak nincs sem AMS-e, sem k\xFCls\u0151 ors\xF3ja.",tap_objects:"Koppintson a kihagyand\xF3 objektumokra.",skip_n:"{n} db kihagy\xE1sa",confirm_skip:"Kihagyja a k\xF6vetkez\u0151t: {names}? Ez nem vonhat\xF3 vissza.",skipped:"Kihagyva",no_objects:"Az aktu\xE1lis feladatban nincs kihagyhat\xF3 objektum.",minutes:"perc",hours:"\xF3ra",history_card:"Bambu nyomtat\xE1si el\u0151zm\xE9nyek",history_card_description:"Egy Bambu Lab nyomtat\xF3 legut\xF3bbi nyomtat\xE1sai: bor\xEDt\xF3, eredm\xE9ny, id\u0151tartam \xE9s filament.",no_jobs:"Az el\u0151zm\xE9nyekben m\xE9g nincs nyomtat\xE1s.",finished:"Befejez\u0151d\xF6tt",failed:"Sikertelen",skip:"Kihagy\xE1s"},yt={printer_card:"Stampante Bambu",printer_card_description:"Stato, avanzamento, temperature e comandi di una stampante Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Ogni unit\xE0 AMS e bobina di una stampante Bambu Lab, nei colori del filamento.",skip_card:"Salta oggetti Bambu",skip_card_description:"Scegli sul piatto gli oggetti della stampa in corso da saltare.",printer:"Stampante",show_camera:"Mostra la telecamera dal vivo invece dell'anteprima",choose_printer:"Scegli una stampante nelle impostazioni della scheda.",layer:"Strato",remaining:"Rimanente",ends:"Termina alle",nozzle:"Ugello",nozzle_n:"Ugello {n}",bed:"Piatto",chamber:"Camera",pause:"Pausa",resume:"Riprendi",stop:"Ferma",confirm_pause:"Mettere in pausa la stampa?",confirm_stop:"Fermare la stampa? Non potr\xE0 essere ripresa.",yes:"S\xEC",cancel:"Annulla",light:"Luce",speed:"Velocit\xE0",filament:"Filamento",unknown:"Sconosciuto",learn_more:"Scopri di pi\xF9",humidity:"Umidit\xE0",temperature:"Temperatura",drying:"Essiccazione",drying_left:"Essiccazione, mancano {time}",external:"Bobina esterna",left:"Resta il {n} %",load:"Carica",unload:"Scarica",set_filament:"Imposta filamento",type:"Tipo",color:"Colore",save:"Salva",no_ams:"Questa stampante non ha AMS n\xE9 bobina esterna.",tap_objects:"Tocca gli oggetti da saltare.",skip_n:"Salta {n}",confirm_skip:"Saltare {names}? Non si pu\xF2 annullare.",skipped:"Saltato",no_objects:"La stampa in corso non ha oggetti da saltare.",minutes:"min",hours:"h",history_card:"Cronologia di stampa Bambu",history_card_description:"Le ultime stampe di una stampante Bambu Lab: anteprima, esito, durata e filamento.",no_jobs:"Ancora nessuna stampa nella cronologia.",finished:"Completata",failed:"Fallita",skip:"Salta"},kt={printer_card:"Bambu \u30D7\u30EA\u30F3\u30BF\u30FC",printer_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u72B6\u614B\u3001\u9032\u6357\u3001\u6E29\u5EA6\u3001\u64CD\u4F5C\u3002",ams_card:"Bambu AMS",ams_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u3059\u3079\u3066\u306E AMS \u30E6\u30CB\u30C3\u30C8\u3068\u30B9\u30D7\u30FC\u30EB\u3092\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u306E\u8272\u3067\u8868\u793A\u3057\u307E\u3059\u3002",skip_card:"Bambu \u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u306E\u30B9\u30AD\u30C3\u30D7",skip_card_description:"\u5370\u5237\u4E2D\u306E\u30D7\u30EC\u30FC\u30C8\u4E0A\u306E\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u3092\u9078\u3093\u3067\u30B9\u30AD\u30C3\u30D7\u3057\u307E\u3059\u3002",printer:"\u30D7\u30EA\u30F3\u30BF\u30FC",show_camera:"\u30AB\u30D0\u30FC\u753B\u50CF\u306E\u4EE3\u308F\u308A\u306B\u30E9\u30A4\u30D6\u30AB\u30E1\u30E9\u3092\u8868\u793A",choose_printer:"\u30AB\u30FC\u30C9\u306E\u8A2D\u5B9A\u3067\u30D7\u30EA\u30F3\u30BF\u30FC\u3092\u9078\u3093\u3067\u304F\u3060\u3055\u3044\u3002",layer:"\u30EC\u30A4\u30E4\u30FC",remaining:"\u6B8B\u308A\u6642\u9593",ends:"\u7D42\u4E86\u4E88\u5B9A",nozzle:"\u30CE\u30BA\u30EB",nozzle_n:"\u30CE\u30BA\u30EB {n}",bed:"\u30D9\u30C3\u30C9",chamber:"\u30C1\u30E3\u30F3\u30D0\u30FC",pause:"\u4E00\u6642\u505C\u6B62",resume:"\u518D\u958B",stop:"\u505C\u6B62",confirm_pause:"\u5370\u5237\u3092\u4E00\u6642\u505C\u6B62\u3057\u307E\u3059\u304B\uFF1F",confirm_stop:"\u5370\u5237\u3092\u505C\u6B62\u3057\u307E\u3059\u304B\uFF1F\u518D\u958B\u306F\u3067\u304D\u307E\u305B\u3093\u3002",yes:"\u306F\u3044",cancel:"\u30AD\u30E3\u30F3\u30BB\u30EB",light:"\u30E9\u30A4\u30C8",speed:"\u901F\u5EA6",filament:"\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8",unknown:"\u4E0D\u660E",learn_more:"\u8A73\u7D30",humidity:"\u6E7F\u5EA6",temperature:"\u6E29\u5EA6",drying:"\u4E7E\u71E5\u4E2D",drying_left:"\u4E7E\u71E5\u4E2D\u3001\u6B8B\u308A {time}",external:"\u5916\u90E8\u30B9\u30D7\u30FC\u30EB",left:"\u6B8B\u308A {n} %",load:"\u30ED\u30FC\u30C9",unload:"\u30A2\u30F3\u30ED\u30FC\u30C9",set_filament:"\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u3092\u8A2D\u5B9A",type:"\u7A2E\u985E",color:"\u8272",save:"\u4FDD\u5B58",no_ams:"\u3053\u306E\u30D7\u30EA\u30F3\u30BF\u30FC\u306B\u306F AMS \u3082\u5916\u90E8\u30B9\u30D7\u30FC\u30EB\u3082\u3042\u308A\u307E\u305B\u3093\u3002",tap_objects:"\u30B9\u30AD\u30C3\u30D7\u3059\u308B\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u3092\u30BF\u30C3\u30D7\u3057\u3066\u304F\u3060\u3055\u3044\u3002",skip_n:"{n} \u500B\u3092\u30B9\u30AD\u30C3\u30D7",confirm_skip:"{names} \u3092\u30B9\u30AD\u30C3\u30D7\u3057\u307E\u3059\u304B\uFF1F\u5143\u306B\u623B\u305B\u307E\u305B\u3093\u3002",skipped:"\u30B9\u30AD\u30C3\u30D7\u6E08\u307F",no_objects:"\u73FE\u5728\u306E\u30B8\u30E7\u30D6\u306B\u306F\u30B9\u30AD\u30C3\u30D7\u3067\u304D\u308B\u30AA\u30D6\u30B8\u30A7\u30AF\u30C8\u304C\u3042\u308A\u307E\u305B\u3093\u3002",minutes:"\u5206",hours:"\u6642\u9593",history_card:"Bambu \u5370\u5237\u5C65\u6B74",history_card_description:"Bambu Lab \u30D7\u30EA\u30F3\u30BF\u30FC\u306E\u6700\u8FD1\u306E\u5370\u5237\uFF1A\u30AB\u30D0\u30FC\u3001\u7D50\u679C\u3001\u6642\u9593\u3001\u30D5\u30A3\u30E9\u30E1\u30F3\u30C8\u3002",no_jobs:"\u5C65\u6B74\u306B\u306F\u307E\u3060\u5370\u5237\u304C\u3042\u308A\u307E\u305B\u3093\u3002",finished:"\u5B8C\u4E86",failed:"\u5931\u6557",skip:"\u30B9\u30AD\u30C3\u30D7"},vt={printer_card:"Bambu \uD504\uB9B0\uD130",printer_card_description:"Bambu Lab \uD504\uB9B0\uD130\uC758 \uC0C1\uD0DC, \uC9C4\uD589\uB960, \uC628\uB3C4 \uBC0F \uC81C\uC5B4.",ams_card:"Bambu AMS",ams_card_description:"Bambu Lab \uD504\uB9B0\uD130\uC758 \uBAA8\uB4E0 AMS \uC720\uB2DB\uACFC \uC2A4\uD480\uC744 \uD544\uB77C\uBA58\uD2B8 \uC0C9\uC0C1\uC73C\uB85C \uD45C\uC2DC\uD569\uB2C8\uB2E4.",skip_card:"Bambu \uAC1C\uCCB4 \uAC74\uB108\uB6F0\uAE30",skip_card_description:"\uC9C4\uD589 \uC911\uC778 \uCD9C\uB825\uC758 \uAC1C\uCCB4\uB97C \uD50C\uB808\uC774\uD2B8\uC5D0\uC11C \uACE8\uB77C \uAC74\uB108\uB701\uB2C8\uB2E4.",printer:"\uD504\uB9B0\uD130",show_camera:"\uCEE4\uBC84 \uB300\uC2E0 \uC2E4\uC2DC\uAC04 \uCE74\uBA54\uB77C \uD45C\uC2DC",choose_printer:"\uCE74\uB4DC \uC124\uC815\uC5D0\uC11C \uD504\uB9B0\uD130\uB97C \uC120\uD0DD\uD558\uC138\uC694.",layer:"\uB808\uC774\uC5B4",remaining:"\uB0A8\uC740 \uC2DC\uAC04",ends:"\uC885\uB8CC \uC608\uC815",nozzle:"\uB178\uC990",nozzle_n:"\uB178\uC990 {n}",bed:"\uBCA0\uB4DC",chamber:"\uCC54\uBC84",pause:"\uC77C\uC2DC \uC911\uC9C0",resume:"\uC7AC\uAC1C",stop:"\uC911\uC9C0",confirm_pause:"\uCD9C\uB825\uC744 \uC77C\uC2DC \uC911\uC9C0\uD560\uAE4C\uC694?",confirm_stop:"\uCD9C\uB825\uC744 \uC911\uC9C0\uD560\uAE4C\uC694? \uC911\uC9C0\uD558\uBA74 \uC7AC\uAC1C\uD560 \uC218 \uC5C6\uC2B5\uB2C8\uB2E4.",yes:"\uC608",cancel:"\uCDE8\uC18C",light:"\uC870\uBA85",speed:"\uC18D\uB3C4",filament:"\uD544\uB77C\uBA58\uD2B8",unknown:"\uC54C \uC218 \uC5C6\uC74C",learn_more:"\uC790\uC138\uD788 \uC54C\uC544\uBCF4\uAE30",humidity:"\uC2B5\uB3C4",temperature:"\uC628\uB3C4",drying:"\uAC74\uC870 \uC911",drying_left:"\uAC74\uC870 \uC911, {time} \uB0A8\uC74C",external:"\uC678\uBD80 \uC2A4\uD480",left:"{n}% \uB0A8\uC74C",load:"\uB85C\uB4DC",unload:"\uC5B8\uB85C\uB4DC",set_filament:"\uD544\uB77C\uBA58\uD2B8 \uC124\uC815",type:"\uC720\uD615",color:"\uC0C9\uC0C1",save:"\uC800\uC7A5",no_ams:"\uC774 \uD504\uB9B0\uD130\uC5D0\uB294 AMS\uB3C4 \uC678\uBD80 \uC2A4\uD480\uB3C4 \uC5C6\uC2B5\uB2C8\uB2E4.",tap_objects:"\uAC74\uB108\uB6F8 \uAC1C\uCCB4\uB97C \uD0ED\uD558\uC138\uC694.",skip_n:"{n}\uAC1C \uAC74\uB108\uB6F0\uAE30",confirm_skip:"{names}\uC744(\uB97C) \uAC74\uB108\uB6F8\uAE4C\uC694? \uB418\uB3CC\uB9B4 \uC218 \uC5C6\uC2B5\uB2C8\uB2E4.",skipped:"\uAC74\uB108\uB700",no_objects:"\uD604\uC7AC \uC791\uC5C5\uC5D0\uB294 \uAC74\uB108\uB6F8 \uAC1C\uCCB4\uAC00 \uC5C6\uC2B5\uB2C8\uB2E4.",minutes:"\uBD84",hours:"\uC2DC\uAC04",history_card:"Bambu \uCD9C\uB825 \uAE30\uB85D",history_card_description:"Bambu Lab \uD504\uB9B0\uD130\uC758 \uCD5C\uADFC \uCD9C\uB825: \uCEE4\uBC84, \uACB0\uACFC, \uC18C\uC694 \uC2DC\uAC04, \uD544\uB77C\uBA58\uD2B8.",no_jobs:"\uC544\uC9C1 \uAE30\uB85D\uC5D0 \uCD9C\uB825\uC774 \uC5C6\uC2B5\uB2C8\uB2E4.",finished:"\uC644\uB8CC\uB428",failed:"\uC2E4\uD328\uD568",skip:"\uAC74\uB108\uB6F0\uAE30"},$t={printer_card:"Bambu-printer",printer_card_description:"Status, voortgang, temperaturen en bediening van een Bambu Lab-printer.",ams_card:"Bambu AMS",ams_card_description:"Elke AMS-unit en spoel van een Bambu Lab-printer, in de kleur van het filament.",skip_card:"Bambu objecten overslaan",skip_card_description:"Kies objecten van de lopende print op de plaat om ze over te slaan.",printer:"Printer",show_camera:"Live camera tonen in plaats van de afbeelding",choose_printer:"Kies een printer in de instellingen van de kaart.",layer:"Laag",remaining:"Resterend",ends:"Klaar om",nozzle:"Nozzle",nozzle_n:"Nozzle {n}",bed:"Bed",chamber:"Kamer",pause:"Pauzeren",resume:"Hervatten",stop:"Stoppen",confirm_pause:"Print pauzeren?",confirm_stop:"Print stoppen? Hij kan niet worden hervat.",yes:"Ja",cancel:"Annuleren",light:"Licht",speed:"Snelheid",filament:"Filament",unknown:"Onbekend",learn_more:"Meer informatie",humidity:"Luchtvochtigheid",temperature:"Temperatuur",drying:"Drogen",drying_left:"Drogen, nog {time}",external:"Externe spoel",left:"{n} % over",load:"Laden",unload:"Ontladen",set_filament:"Filament instellen",type:"Type",color:"Kleur",save:"Opslaan",no_ams:"Deze printer heeft geen AMS en geen externe spoel.",tap_objects:"Tik op de objecten die je wilt overslaan.",skip_n:"{n} overslaan",confirm_skip:"{names} overslaan? Dit kan niet ongedaan worden gemaakt.",skipped:"Overgeslagen",no_objects:"De huidige print heeft geen objecten om over te slaan.",minutes:"min",hours:"u",history_card:"Bambu-printgeschiedenis",history_card_description:"De laatste prints van een Bambu Lab-printer: afbeelding, resultaat, duur en filament.",no_jobs:"Nog geen prints in de geschiedenis.",finished:"Voltooid",failed:"Mislukt",skip:"Overslaan"},xt={printer_card:"Drukarka Bambu",printer_card_description:"Stan, post\u0119p, temperatury i sterowanie drukark\u0105 Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"Ka\u017Cdy modu\u0142 AMS i szpula drukarki Bambu Lab w kolorach filamentu.",skip_card:"Pomijanie obiekt\xF3w Bambu",skip_card_description:"Wybierz na p\u0142ycie obiekty bie\u017C\u0105cego wydruku, aby je pomin\u0105\u0107.",printer:"Drukarka",show_camera:"Poka\u017C kamer\u0119 na \u017Cywo zamiast ok\u0142adki",choose_printer:"Wybierz drukark\u0119 w ustawieniach karty.",layer:"Warstwa",remaining:"Pozosta\u0142o",ends:"Koniec o",nozzle:"Dysza",nozzle_n:"Dysza {n}",bed:"St\xF3\u0142",chamber:"Komora",pause:"Wstrzymaj",resume:"Wzn\xF3w",stop:"Zatrzymaj",confirm_pause:"Wstrzyma\u0107 wydruk?",confirm_stop:"Zatrzyma\u0107 wydruk? Nie b\u0119dzie mo\u017Cna go wznowi\u0107.",yes:"Tak",cancel:"Anuluj",light:"\u015Awiat\u0142o",speed:"Pr\u0119dko\u015B\u0107",filament:"Filament",unknown:"Nieznany",learn_more:"Wi\u0119cej informacji",humidity:"Wilgotno\u015B\u0107",temperature:"Temperatura",drying:"Suszenie",drying_left:"Suszenie, pozosta\u0142o {time}",external:"Szpula zewn\u0119trzna",left:"Pozosta\u0142o {n} %",load:"Za\u0142aduj",unload:"Wy\u0142aduj",set_filament:"Ustaw filament",type:"Typ",color:"Kolor",save:"Zapisz",no_ams:"Ta drukarka nie ma AMS ani szpuli zewn\u0119trznej.",tap_objects:"Dotknij obiekt\xF3w do pomini\u0119cia.",skip_n:"Pomi\u0144 {n}",confirm_skip:"Pomin\u0105\u0107 {names}? Tego nie mo\u017Cna cofn\u0105\u0107.",skipped:"Pomini\u0119ty",no_objects:"Bie\u017C\u0105ce zadanie nie ma obiekt\xF3w do pomini\u0119cia.",minutes:"min",hours:"godz.",history_card:"Historia wydruk\xF3w Bambu",history_card_description:"Ostatnie wydruki drukarki Bambu Lab: ok\u0142adka, wynik, czas i filament.",no_jobs:"W historii nie ma jeszcze wydruk\xF3w.",finished:"Uko\u0144czony",failed:"Nieudany",skip:"Pomi\u0144"},St={printer_card:"Impressora Bambu",printer_card_description:"Estado, progresso, temperaturas e controlos de uma impressora Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Cada unidade AMS e bobina de uma impressora Bambu Lab, nas cores do filamento.",skip_card:"Saltar objetos Bambu",skip_card_description:"Escolha na placa os objetos da impress\xE3o em curso que quer saltar.",printer:"Impressora",show_camera:"Mostrar a c\xE2mara em direto em vez da capa",choose_printer:"Escolha uma impressora nas defini\xE7\xF5es do cart\xE3o.",layer:"Camada",remaining:"Restante",ends:"Termina \xE0s",nozzle:"Bico",nozzle_n:"Bico {n}",bed:"Mesa",chamber:"C\xE2mara de impress\xE3o",pause:"Pausar",resume:"Retomar",stop:"Parar",confirm_pause:"Pausar a impress\xE3o?",confirm_stop:"Parar a impress\xE3o? N\xE3o ser\xE1 poss\xEDvel retom\xE1-la.",yes:"Sim",cancel:"Cancelar",light:"Luz",speed:"Velocidade",filament:"Filamento",unknown:"Desconhecido",learn_more:"Saber mais",humidity:"Humidade",temperature:"Temperatura",drying:"A secar",drying_left:"A secar, faltam {time}",external:"Bobina externa",left:"Restam {n} %",load:"Carregar",unload:"Descarregar",set_filament:"Definir filamento",type:"Tipo",color:"Cor",save:"Guardar",no_ams:"Esta impressora n\xE3o tem AMS nem bobina externa.",tap_objects:"Toque nos objetos a saltar.",skip_n:"Saltar {n}",confirm_skip:"Saltar {names}? N\xE3o \xE9 poss\xEDvel anular.",skipped:"Saltado",no_objects:"O trabalho atual n\xE3o tem objetos para saltar.",minutes:"min",hours:"h",history_card:"Hist\xF3rico de impress\xF5es Bambu",history_card_description:"As \xFAltimas impress\xF5es de uma impressora Bambu Lab: capa, resultado, dura\xE7\xE3o e filamento.",no_jobs:"Ainda n\xE3o h\xE1 impress\xF5es no hist\xF3rico.",finished:"Conclu\xEDda",failed:"Falhou",skip:"Saltar"},wt={printer_card:"Impressora Bambu",printer_card_description:"Status, progresso, temperaturas e controles de uma impressora Bambu Lab.",ams_card:"AMS Bambu",ams_card_description:"Cada unidade AMS e carretel de uma impressora Bambu Lab, nas cores do filamento.",skip_card:"Pular objetos Bambu",skip_card_description:"Escolha na placa objetos da impress\xE3o em andamento para pul\xE1-los.",printer:"Impressora",show_camera:"Mostrar a c\xE2mera ao vivo em vez da capa",choose_printer:"Escolha uma impressora nas configura\xE7\xF5es do cart\xE3o.",layer:"Camada",remaining:"Restante",ends:"Termina \xE0s",nozzle:"Bico",nozzle_n:"Bico {n}",bed:"Mesa",chamber:"C\xE2mara",pause:"Pausar",resume:"Retomar",stop:"Parar",confirm_pause:"Pausar a impress\xE3o?",confirm_stop:"Parar a impress\xE3o? Ela n\xE3o poder\xE1 ser retomada.",yes:"Sim",cancel:"Cancelar",light:"Luz",speed:"Velocidade",filament:"Filamento",unknown:"Desconhecido",learn_more:"Saiba mais",humidity:"Umidade",temperature:"Temperatura",drying:"Secando",drying_left:"Secando, faltam {time}",external:"Carretel externo",left:"Restam {n} %",load:"Carregar",unload:"Descarregar",set_filament:"Definir filamento",type:"Tipo",color:"Cor",save:"Salvar",no_ams:"Esta impressora n\xE3o tem AMS nem carretel externo.",tap_objects:"Toque nos objetos a pular.",skip_n:"Pular {n}",confirm_skip:"Pular {names}? Isso n\xE3o pode ser desfeito.",skipped:"Pulado",no_objects:"O trabalho atual n\xE3o tem objetos para pular.",minutes:"min",hours:"h",history_card:"Hist\xF3rico de impress\xE3o Bambu",history_card_description:"As \xFAltimas impress\xF5es de uma impressora Bambu Lab: capa, resultado, dura\xE7\xE3o e filamento.",no_jobs:"Ainda n\xE3o h\xE1 impress\xF5es no hist\xF3rico.",finished:"Conclu\xEDda",failed:"Falhou",skip:"Pular"},At={printer_card:"\u041F\u0440\u0438\u043D\u0442\u0435\u0440 Bambu",printer_card_description:"\u0421\u043E\u0441\u0442\u043E\u044F\u043D\u0438\u0435, \u0445\u043E\u0434 \u043F\u0435\u0447\u0430\u0442\u0438, \u0442\u0435\u043C\u043F\u0435\u0440\u0430\u0442\u0443\u0440\u044B \u0438 \u0443\u043F\u0440\u0430\u0432\u043B\u0435\u043D\u0438\u0435 \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u043E\u043C Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"\u0412\u0441\u0435 \u043C\u043E\u0434\u0443\u043B\u0438 AMS \u0438 \u043A\u0430\u0442\u0443\u0448\u043A\u0438 \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u0430 Bambu Lab \u0432 \u0446\u0432\u0435\u0442\u0430\u0445 \u0438\u0445 \u0444\u0438\u043B\u0430\u043C\u0435\u043D\u0442\u0430.",skip_card:"\u041F\u0440\u043E\u043F\u0443\u0441\u043A \u043E\u0431\u044A\u0435\u043A\u0442\u043E\u0432 Bambu",skip_card_description:"\u0412\u044B\u0431\u0435\u0440\u0438\u0442\u0435 \u043D\u0430 \u043F\u043B\u0430\u0441\u0442\u0438\u043D\u0435 \u043E\u0431\u044A\u0435\u043A\u0442\u044B \u0442\u0435\u043A\u0443\u0449\u0435\u0439 \u043F\u0435\u0447\u0430\u0442\u0438, \u0447\u0442\u043E\u0431\u044B \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C \u0438\u0445.",printer:"\u041F\u0440\u0438\u043D\u0442\u0435\u0440",show_camera:"\u041F\u043E\u043A\u0430\u0437\u044B\u0432\u0430\u0442\u044C \u043A\u0430\u043C\u0435\u0440\u0443 \u0432 \u0440\u0435\u0430\u043B\u044C\u043D\u043E\u043C \u0432\u0440\u0435\u043C\u0435\u043D\u0438 \u0432\u043C\u0435\u0441\u0442\u043E \u043E\u0431\u043B\u043E\u0436\u043A\u0438",choose_printer:"\u0412\u044B\u0431\u0435\u0440\u0438\u0442\u0435 \u043F\u0440\u0438\u043D\u0442\u0435\u0440 \u0432 \u043D\u0430\u0441\u0442\u0440\u043E\u0439\u043A\u0430\u0445 \u043A\u0430\u0440\u0442\u043E\u0447\u043A\u0438.",layer:"\u0421\u043B\u043E\u0439",remaining:"\u041E\u0441\u0442\u0430\u043B\u043E\u0441\u044C",ends:"\u041E\u043A\u043E\u043D\u0447\u0430\u043D\u0438\u0435 \u0432",nozzle:"\u0421\u043E\u043F\u043B\u043E",nozzle_n:"\u0421\u043E\u043F\u043B\u043E {n}",bed:"\u0421\u0442\u043E\u043B",chamber:"\u041A\u0430\u043C\u0435\u0440\u0430",pause:"\u041F\u0440\u0438\u043E\u0441\u0442\u0430\u043D\u043E\u0432\u0438\u0442\u044C",resume:"\u0412\u043E\u0437\u043E\u0431\u043D\u043E\u0432\u0438\u0442\u044C",stop:"\u041E\u0441\u0442\u0430\u043D\u043E\u0432\u0438\u0442\u044C",confirm_pause:"\u041F\u0440\u0438\u043E\u0441\u0442\u0430\u043D\u043E\u0432\u0438\u0442\u044C \u043F\u0435\u0447\u0430\u0442\u044C?",confirm_stop:"\u041E\u0441\u0442\u0430\u043D\u043E\u0432\u0438\u0442\u044C \u043F\u0435\u0447\u0430\u0442\u044C? \u0412\u043E\u0437\u043E\u0431\u043D\u043E\u0432\u0438\u0442\u044C \u0435\u0451 \u0431\u0443\u0434\u0435\u0442 \u043D\u0435\u043B\u044C\u0437\u044F.",yes:"\u0414\u0430",cancel:"\u041E\u0442\u043C\u0435\u043D\u0430",light:"\u041F\u043E\u0434\u0441\u0432\u0435\u0442\u043A\u0430",speed:"\u0421\u043A\u043E\u0440\u043E\u0441\u0442\u044C",filament:"\u0424\u0438\u043B\u0430\u043C\u0435\u043D\u0442",unknown:"\u041D\u0435\u0438\u0437\u0432\u0435\u0441\u0442\u043D\u043E",learn_more:"\u041F\u043E\u0434\u0440\u043E\u0431\u043D\u0435\u0435",humidity:"\u0412\u043B\u0430\u0436\u043D\u043E\u0441\u0442\u044C",temperature:"\u0422\u0435\u043C\u043F\u0435\u0440\u0430\u0442\u0443\u0440\u0430",drying:"\u0421\u0443\u0448\u043A\u0430",drying_left:"\u0421\u0443\u0448\u043A\u0430, \u043E\u0441\u0442\u0430\u043B\u043E\u0441\u044C {time}",external:"\u0412\u043D\u0435\u0448\u043D\u044F\u044F \u043A\u0430\u0442\u0443\u0448\u043A\u0430",left:"\u041E\u0441\u0442\u0430\u043B\u043E\u0441\u044C {n} %",load:"\u0417\u0430\u0433\u0440\u0443\u0437\u0438\u0442\u044C",unload:"\u0412\u044B\u0433\u0440\u0443\u0437\u0438\u0442\u044C",set_filament:"\u0417\u0430\u0434\u0430\u0442\u044C \u0444\u0438\u043B\u0430\u043C\u0435\u043D\u0442",type:"\u0422\u0438\u043F",color:"\u0426\u0432\u0435\u0442",save:"\u0421\u043E\u0445\u0440\u0430\u043D\u0438\u0442\u044C",no_ams:"\u0423 \u044D\u0442\u043E\u0433\u043E \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u0430 \u043D\u0435\u0442 \u043D\u0438 AMS, \u043D\u0438 \u0432\u043D\u0435\u0448\u043D\u0435\u0439 \u043A\u0430\u0442\u0443\u0448\u043A\u0438.",tap_objects:"\u041D\u0430\u0436\u043C\u0438\u0442\u0435 \u043D\u0430 \u043E\u0431\u044A\u0435\u043A\u0442\u044B, \u043A\u043E\u0442\u043E\u0440\u044B\u0435 \u043D\u0443\u0436\u043D\u043E \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C.",skip_n:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C ({n})",confirm_skip:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C {names}? \u042D\u0442\u043E \u0434\u0435\u0439\u0441\u0442\u0432\u0438\u0435 \u043D\u0435\u043B\u044C\u0437\u044F \u043E\u0442\u043C\u0435\u043D\u0438\u0442\u044C.",skipped:"\u041F\u0440\u043E\u043F\u0443\u0449\u0435\u043D",no_objects:"\u0412 \u0442\u0435\u043A\u0443\u0449\u0435\u043C \u0437\u0430\u0434\u0430\u043D\u0438\u0438 \u043D\u0435\u0442 \u043E\u0431\u044A\u0435\u043A\u0442\u043E\u0432, \u043A\u043E\u0442\u043E\u0440\u044B\u0435 \u043C\u043E\u0436\u043D\u043E \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C.",minutes:"\u043C\u0438\u043D",hours:"\u0447",history_card:"\u0418\u0441\u0442\u043E\u0440\u0438\u044F \u043F\u0435\u0447\u0430\u0442\u0438 Bambu",history_card_description:"\u041F\u043E\u0441\u043B\u0435\u0434\u043D\u0438\u0435 \u043F\u0435\u0447\u0430\u0442\u0438 \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u0430 Bambu Lab: \u043E\u0431\u043B\u043E\u0436\u043A\u0430, \u0440\u0435\u0437\u0443\u043B\u044C\u0442\u0430\u0442, \u0434\u043B\u0438\u0442\u0435\u043B\u044C\u043D\u043E\u0441\u0442\u044C \u0438 \u0444\u0438\u043B\u0430\u043C\u0435\u043D\u0442.",no_jobs:"\u0412 \u0438\u0441\u0442\u043E\u0440\u0438\u0438 \u043F\u043E\u043A\u0430 \u043D\u0435\u0442 \u043F\u0435\u0447\u0430\u0442\u0435\u0439.",finished:"\u0417\u0430\u0432\u0435\u0440\u0448\u0435\u043D\u0430",failed:"\u041D\u0435 \u0443\u0434\u0430\u043B\u0430\u0441\u044C",skip:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u044C"},zt={printer_card:"Tla\u010Diare\u0148 Bambu",printer_card_description:"Stav, priebeh, teploty a ovl\xE1danie tla\u010Diarne Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"V\u0161etky jednotky AMS a cievky tla\u010Diarne Bambu Lab vo farb\xE1ch ich filamentu.",skip_card:"Presko\u010Denie objektov Bambu",skip_card_description:"Vyberte na doske objekty prebiehaj\xFAcej tla\u010De, ktor\xE9 sa maj\xFA presko\u010Di\u0165.",printer:"Tla\u010Diare\u0148",show_camera:"Zobrazi\u0165 \u017Eiv\xFA kameru namiesto n\xE1h\u013Eadu",choose_printer:"Vyberte tla\u010Diare\u0148 v nastaveniach karty.",layer:"Vrstva",remaining:"Zost\xE1va",ends:"Koniec o",nozzle:"Tryska",nozzle_n:"Tryska {n}",bed:"Podlo\u017Eka",chamber:"Komora",pause:"Pozastavi\u0165",resume:"Obnovi\u0165",stop:"Zastavi\u0165",confirm_pause:"Pozastavi\u0165 tla\u010D?",confirm_stop:"Zastavi\u0165 tla\u010D? Nebude ju mo\u017En\xE9 obnovi\u0165.",yes:"\xC1no",cancel:"Zru\u0161i\u0165",light:"Osvetlenie",speed:"R\xFDchlos\u0165",filament:"Filament",unknown:"Nezn\xE1me",learn_more:"\u010Eal\u0161ie inform\xE1cie",humidity:"Vlhkos\u0165",temperature:"Teplota",drying:"Su\u0161enie",drying_left:"Su\u0161enie, zost\xE1va {time}",external:"Extern\xE1 cievka",left:"Zost\xE1va {n} %",load:"Zavies\u0165",unload:"Vysun\xFA\u0165",set_filament:"Nastavi\u0165 filament",type:"Typ",color:"Farba",save:"Ulo\u017Ei\u0165",no_ams:"T\xE1to tla\u010Diare\u0148 nem\xE1 AMS ani extern\xFA cievku.",tap_objects:"\u0164uknite na objekty, ktor\xE9 chcete presko\u010Di\u0165.",skip_n:"Presko\u010Di\u0165 ({n})",confirm_skip:"Presko\u010Di\u0165 {names}? T\xFAto akciu nemo\u017Eno vr\xE1ti\u0165 sp\xE4\u0165.",skipped:"Presko\u010Den\xE9",no_objects:"Aktu\xE1lna \xFAloha nem\xE1 \u017Eiadne objekty na presko\u010Denie.",minutes:"min",hours:"h",history_card:"Hist\xF3ria tla\u010De Bambu",history_card_description:"Posledn\xE9 tla\u010De tla\u010Diarne Bambu Lab: n\xE1h\u013Ead, v\xFDsledok, trvanie a filament.",no_jobs:"V hist\xF3rii zatia\u013E nie s\xFA \u017Eiadne tla\u010De.",finished:"Dokon\u010Den\xE1",failed:"Zlyhala",skip:"Presko\u010Di\u0165"},jt={printer_card:"Bambu-skrivare",printer_card_description:"Status, f\xF6rlopp, temperaturer och reglage f\xF6r en Bambu Lab-skrivare.",ams_card:"Bambu AMS",ams_card_description:"Alla AMS-enheter och spolar i en Bambu Lab-skrivare, i sina filamentf\xE4rger.",skip_card:"Hoppa \xF6ver Bambu-objekt",skip_card_description:"V\xE4lj objekt i den p\xE5g\xE5ende utskriften p\xE5 plattan f\xF6r att hoppa \xF6ver dem.",printer:"Skrivare",show_camera:"Visa livekameran i st\xE4llet f\xF6r omslaget",choose_printer:"V\xE4lj en skrivare i kortets inst\xE4llningar.",layer:"Lager",remaining:"\xC5terst\xE5r",ends:"Klar kl.",nozzle:"Munstycke",nozzle_n:"Munstycke {n}",bed:"B\xE4dd",chamber:"Kammare",pause:"Pausa",resume:"\xC5teruppta",stop:"Stoppa",confirm_pause:"Pausa utskriften?",confirm_stop:"Stoppa utskriften? Den kan inte \xE5terupptas.",yes:"Ja",cancel:"Avbryt",light:"Belysning",speed:"Hastighet",filament:"Filament",unknown:"Ok\xE4nd",learn_more:"L\xE4s mer",humidity:"Luftfuktighet",temperature:"Temperatur",drying:"Torkar",drying_left:"Torkar, {time} kvar",external:"Extern spole",left:"{n} % kvar",load:"Ladda",unload:"Mata ut",set_filament:"Ange filament",type:"Typ",color:"F\xE4rg",save:"Spara",no_ams:"Den h\xE4r skrivaren har varken AMS eller extern spole.",tap_objects:"Tryck p\xE5 objekten som ska hoppas \xF6ver.",skip_n:"Hoppa \xF6ver {n}",confirm_skip:"Hoppa \xF6ver {names}? Det g\xE5r inte att \xE5ngra.",skipped:"\xD6verhoppad",no_objects:"Det aktuella jobbet har inga objekt att hoppa \xF6ver.",minutes:"min",hours:"h",history_card:"Bambu-utskriftshistorik",history_card_description:"De senaste utskrifterna fr\xE5n en Bambu Lab-skrivare: omslag, resultat, varaktighet och filament.",no_jobs:"Inga utskrifter i historiken \xE4n.",finished:"Klar",failed:"Misslyckad",skip:"Hoppa \xF6ver"},Bt={printer_card:"\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C Bambu",printer_card_description:"\u0E2A\u0E16\u0E32\u0E19\u0E30 \u0E04\u0E27\u0E32\u0E21\u0E04\u0E37\u0E1A\u0E2B\u0E19\u0E49\u0E32 \u0E2D\u0E38\u0E13\u0E2B\u0E20\u0E39\u0E21\u0E34 \u0E41\u0E25\u0E30\u0E01\u0E32\u0E23\u0E04\u0E27\u0E1A\u0E04\u0E38\u0E21\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C Bambu Lab",ams_card:"Bambu AMS",ams_card_description:"\u0E17\u0E38\u0E01\u0E2B\u0E19\u0E48\u0E27\u0E22 AMS \u0E41\u0E25\u0E30\u0E21\u0E49\u0E27\u0E19\u0E40\u0E2A\u0E49\u0E19\u0E02\u0E2D\u0E07\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C Bambu Lab \u0E43\u0E19\u0E2A\u0E35\u0E02\u0E2D\u0E07\u0E40\u0E2A\u0E49\u0E19\u0E1E\u0E25\u0E32\u0E2A\u0E15\u0E34\u0E01",skip_card:"\u0E02\u0E49\u0E32\u0E21\u0E27\u0E31\u0E15\u0E16\u0E38 Bambu",skip_card_description:"\u0E40\u0E25\u0E37\u0E2D\u0E01\u0E27\u0E31\u0E15\u0E16\u0E38\u0E02\u0E2D\u0E07\u0E07\u0E32\u0E19\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E17\u0E35\u0E48\u0E01\u0E33\u0E25\u0E31\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E1A\u0E19\u0E41\u0E1C\u0E48\u0E19\u0E40\u0E1E\u0E37\u0E48\u0E2D\u0E02\u0E49\u0E32\u0E21",printer:"\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C",show_camera:"\u0E41\u0E2A\u0E14\u0E07\u0E01\u0E25\u0E49\u0E2D\u0E07\u0E2A\u0E14\u0E41\u0E17\u0E19\u0E20\u0E32\u0E1E\u0E1B\u0E01",choose_printer:"\u0E40\u0E25\u0E37\u0E2D\u0E01\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E43\u0E19\u0E01\u0E32\u0E23\u0E15\u0E31\u0E49\u0E07\u0E04\u0E48\u0E32\u0E02\u0E2D\u0E07\u0E01\u0E32\u0E23\u0E4C\u0E14",layer:"\u0E0A\u0E31\u0E49\u0E19",remaining:"\u0E40\u0E27\u0E25\u0E32\u0E17\u0E35\u0E48\u0E40\u0E2B\u0E25\u0E37\u0E2D",ends:"\u0E40\u0E2A\u0E23\u0E47\u0E08\u0E40\u0E27\u0E25\u0E32",nozzle:"\u0E2B\u0E31\u0E27\u0E09\u0E35\u0E14",nozzle_n:"\u0E2B\u0E31\u0E27\u0E09\u0E35\u0E14 {n}",bed:"\u0E10\u0E32\u0E19\u0E1E\u0E34\u0E21\u0E1E\u0E4C",chamber:"\u0E2B\u0E49\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C",pause:"\u0E2B\u0E22\u0E38\u0E14\u0E0A\u0E31\u0E48\u0E27\u0E04\u0E23\u0E32\u0E27",resume:"\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E15\u0E48\u0E2D",stop:"\u0E2B\u0E22\u0E38\u0E14",confirm_pause:"\u0E2B\u0E22\u0E38\u0E14\u0E01\u0E32\u0E23\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E0A\u0E31\u0E48\u0E27\u0E04\u0E23\u0E32\u0E27\u0E2B\u0E23\u0E37\u0E2D\u0E44\u0E21\u0E48",confirm_stop:"\u0E2B\u0E22\u0E38\u0E14\u0E01\u0E32\u0E23\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E2B\u0E23\u0E37\u0E2D\u0E44\u0E21\u0E48 \u0E08\u0E30\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E15\u0E48\u0E2D\u0E44\u0E21\u0E48\u0E44\u0E14\u0E49\u0E2D\u0E35\u0E01",yes:"\u0E43\u0E0A\u0E48",cancel:"\u0E22\u0E01\u0E40\u0E25\u0E34\u0E01",light:"\u0E44\u0E1F",speed:"\u0E04\u0E27\u0E32\u0E21\u0E40\u0E23\u0E47\u0E27",filament:"\u0E40\u0E2A\u0E49\u0E19\u0E1E\u0E25\u0E32\u0E2A\u0E15\u0E34\u0E01",unknown:"\u0E44\u0E21\u0E48\u0E17\u0E23\u0E32\u0E1A",learn_more:"\u0E14\u0E39\u0E02\u0E49\u0E2D\u0E21\u0E39\u0E25\u0E40\u0E1E\u0E34\u0E48\u0E21\u0E40\u0E15\u0E34\u0E21",humidity:"\u0E04\u0E27\u0E32\u0E21\u0E0A\u0E37\u0E49\u0E19",temperature:"\u0E2D\u0E38\u0E13\u0E2B\u0E20\u0E39\u0E21\u0E34",drying:"\u0E01\u0E33\u0E25\u0E31\u0E07\u0E2D\u0E1A\u0E41\u0E2B\u0E49\u0E07",drying_left:"\u0E01\u0E33\u0E25\u0E31\u0E07\u0E2D\u0E1A\u0E41\u0E2B\u0E49\u0E07 \u0E40\u0E2B\u0E25\u0E37\u0E2D {time}",external:"\u0E21\u0E49\u0E27\u0E19\u0E40\u0E2A\u0E49\u0E19\u0E20\u0E32\u0E22\u0E19\u0E2D\u0E01",left:"\u0E40\u0E2B\u0E25\u0E37\u0E2D {n}%",load:"\u0E42\u0E2B\u0E25\u0E14",unload:"\u0E16\u0E2D\u0E14",set_filament:"\u0E15\u0E31\u0E49\u0E07\u0E04\u0E48\u0E32\u0E40\u0E2A\u0E49\u0E19\u0E1E\u0E25\u0E32\u0E2A\u0E15\u0E34\u0E01",type:"\u0E0A\u0E19\u0E34\u0E14",color:"\u0E2A\u0E35",save:"\u0E1A\u0E31\u0E19\u0E17\u0E36\u0E01",no_ams:"\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E19\u0E35\u0E49\u0E44\u0E21\u0E48\u0E21\u0E35\u0E17\u0E31\u0E49\u0E07 AMS \u0E41\u0E25\u0E30\u0E21\u0E49\u0E27\u0E19\u0E40\u0E2A\u0E49\u0E19\u0E20\u0E32\u0E22\u0E19\u0E2D\u0E01",tap_objects:"\u0E41\u0E15\u0E30\u0E27\u0E31\u0E15\u0E16\u0E38\u0E17\u0E35\u0E48\u0E15\u0E49\u0E2D\u0E07\u0E01\u0E32\u0E23\u0E02\u0E49\u0E32\u0E21",skip_n:"\u0E02\u0E49\u0E32\u0E21 {n} \u0E0A\u0E34\u0E49\u0E19",confirm_skip:"\u0E02\u0E49\u0E32\u0E21 {names} \u0E2B\u0E23\u0E37\u0E2D\u0E44\u0E21\u0E48 \u0E01\u0E32\u0E23\u0E14\u0E33\u0E40\u0E19\u0E34\u0E19\u0E01\u0E32\u0E23\u0E19\u0E35\u0E49\u0E22\u0E49\u0E2D\u0E19\u0E01\u0E25\u0E31\u0E1A\u0E44\u0E21\u0E48\u0E44\u0E14\u0E49",skipped:"\u0E02\u0E49\u0E32\u0E21\u0E41\u0E25\u0E49\u0E27",no_objects:"\u0E07\u0E32\u0E19\u0E1B\u0E31\u0E08\u0E08\u0E38\u0E1A\u0E31\u0E19\u0E44\u0E21\u0E48\u0E21\u0E35\u0E27\u0E31\u0E15\u0E16\u0E38\u0E43\u0E2B\u0E49\u0E02\u0E49\u0E32\u0E21",minutes:"\u0E19\u0E32\u0E17\u0E35",hours:"\u0E0A\u0E21.",history_card:"\u0E1B\u0E23\u0E30\u0E27\u0E31\u0E15\u0E34\u0E01\u0E32\u0E23\u0E1E\u0E34\u0E21\u0E1E\u0E4C Bambu",history_card_description:"\u0E07\u0E32\u0E19\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E25\u0E48\u0E32\u0E2A\u0E38\u0E14\u0E02\u0E2D\u0E07\u0E40\u0E04\u0E23\u0E37\u0E48\u0E2D\u0E07\u0E1E\u0E34\u0E21\u0E1E\u0E4C Bambu Lab: \u0E20\u0E32\u0E1E\u0E1B\u0E01 \u0E1C\u0E25\u0E25\u0E31\u0E1E\u0E18\u0E4C \u0E23\u0E30\u0E22\u0E30\u0E40\u0E27\u0E25\u0E32 \u0E41\u0E25\u0E30\u0E40\u0E2A\u0E49\u0E19\u0E1E\u0E25\u0E32\u0E2A\u0E15\u0E34\u0E01",no_jobs:"\u0E22\u0E31\u0E07\u0E44\u0E21\u0E48\u0E21\u0E35\u0E07\u0E32\u0E19\u0E1E\u0E34\u0E21\u0E1E\u0E4C\u0E43\u0E19\u0E1B\u0E23\u0E30\u0E27\u0E31\u0E15\u0E34",finished:"\u0E40\u0E2A\u0E23\u0E47\u0E08\u0E41\u0E25\u0E49\u0E27",failed:"\u0E25\u0E49\u0E21\u0E40\u0E2B\u0E25\u0E27",skip:"\u0E02\u0E49\u0E32\u0E21"},Tt={printer_card:"Bambu yaz\u0131c\u0131",printer_card_description:"Bir Bambu Lab yaz\u0131c\u0131n\u0131n durumu, ilerlemesi, s\u0131cakl\u0131klar\u0131 ve kontrolleri.",ams_card:"Bambu AMS",ams_card_description:"Bir Bambu Lab yaz\u0131c\u0131n\u0131n t\xFCm AMS \xFCniteleri ve makaralar\u0131, filament renkleriyle.",skip_card:"Bambu nesne atlama",skip_card_description:"Plakadaki devam eden bask\u0131n\u0131n atlanacak nesnelerini se\xE7in.",printer:"Yaz\u0131c\u0131",show_camera:"Kapak yerine canl\u0131 kameray\u0131 g\xF6ster",choose_printer:"Kart ayarlar\u0131ndan bir yaz\u0131c\u0131 se\xE7in.",layer:"Katman",remaining:"Kalan",ends:"Biti\u015F",nozzle:"Noz\xFCl",nozzle_n:"Noz\xFCl {n}",bed:"Tabla",chamber:"Hazne",pause:"Duraklat",resume:"S\xFCrd\xFCr",stop:"Durdur",confirm_pause:"Bask\u0131 duraklat\u0131ls\u0131n m\u0131?",confirm_stop:"Bask\u0131 durdurulsun mu? Daha sonra s\xFCrd\xFCr\xFClemez.",yes:"Evet",cancel:"\u0130ptal",light:"I\u015F\u0131k",speed:"H\u0131z",filament:"Filament",unknown:"Bilinmiyor",learn_more:"Daha fazla bilgi",humidity:"Nem",temperature:"S\u0131cakl\u0131k",drying:"Kurutuluyor",drying_left:"Kurutuluyor, {time} kald\u0131",external:"Harici makara",left:"%{n} kald\u0131",load:"Y\xFCkle",unload:"Bo\u015Falt",set_filament:"Filament ayarla",type:"T\xFCr",color:"Renk",save:"Kaydet",no_ams:"Bu yaz\u0131c\u0131da AMS veya harici makara yok.",tap_objects:"Atlanacak nesnelere dokunun.",skip_n:"{n} nesneyi atla",confirm_skip:"{names} atlans\u0131n m\u0131? Bu i\u015Flem geri al\u0131namaz.",skipped:"Atland\u0131",no_objects:"Ge\xE7erli i\u015Fte atlanacak nesne yok.",minutes:"dk",hours:"sa",history_card:"Bambu bask\u0131 ge\xE7mi\u015Fi",history_card_description:"Bir Bambu Lab yaz\u0131c\u0131n\u0131n son bask\u0131lar\u0131: kapak, sonu\xE7, s\xFCre ve filament.",no_jobs:"Ge\xE7mi\u015Fte hen\xFCz bask\u0131 yok.",finished:"Bitti",failed:"Ba\u015Far\u0131s\u0131z",skip:"Atla"},Et={printer_card:"\u041F\u0440\u0438\u043D\u0442\u0435\u0440 Bambu",printer_card_description:"\u0421\u0442\u0430\u043D, \u0445\u0456\u0434 \u0434\u0440\u0443\u043A\u0443, \u0442\u0435\u043C\u043F\u0435\u0440\u0430\u0442\u0443\u0440\u0438 \u0439 \u043A\u0435\u0440\u0443\u0432\u0430\u043D\u043D\u044F \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u043E\u043C Bambu Lab.",ams_card:"Bambu AMS",ams_card_description:"\u0423\u0441\u0456 \u043C\u043E\u0434\u0443\u043B\u0456 AMS \u0456 \u043A\u043E\u0442\u0443\u0448\u043A\u0438 \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u0430 Bambu Lab \u0443 \u043A\u043E\u043B\u044C\u043E\u0440\u0430\u0445 \u0457\u0445\u043D\u044C\u043E\u0433\u043E \u0444\u0456\u043B\u0430\u043C\u0435\u043D\u0442\u0443.",skip_card:"\u041F\u0440\u043E\u043F\u0443\u0441\u043A \u043E\u0431\u2019\u0454\u043A\u0442\u0456\u0432 Bambu",skip_card_description:"\u0412\u0438\u0431\u0435\u0440\u0456\u0442\u044C \u043D\u0430 \u043F\u043B\u0430\u0441\u0442\u0438\u043D\u0456 \u043E\u0431\u2019\u0454\u043A\u0442\u0438 \u043F\u043E\u0442\u043E\u0447\u043D\u043E\u0433\u043E \u0434\u0440\u0443\u043A\u0443, \u0449\u043E\u0431 \u0457\u0445 \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438.",printer:"\u041F\u0440\u0438\u043D\u0442\u0435\u0440",show_camera:"\u041F\u043E\u043A\u0430\u0437\u0443\u0432\u0430\u0442\u0438 \u043A\u0430\u043C\u0435\u0440\u0443 \u043D\u0430\u0436\u0438\u0432\u043E \u0437\u0430\u043C\u0456\u0441\u0442\u044C \u043E\u0431\u043A\u043B\u0430\u0434\u0438\u043D\u043A\u0438",choose_printer:"\u0412\u0438\u0431\u0435\u0440\u0456\u0442\u044C \u043F\u0440\u0438\u043D\u0442\u0435\u0440 \u0443 \u043D\u0430\u043B\u0430\u0448\u0442\u0443\u0432\u0430\u043D\u043D\u044F\u0445 \u043A\u0430\u0440\u0442\u043A\u0438.",layer:"\u0428\u0430\u0440",remaining:"\u0417\u0430\u043B\u0438\u0448\u0438\u043B\u043E\u0441\u044F",ends:"\u0417\u0430\u0432\u0435\u0440\u0448\u0435\u043D\u043D\u044F \u043E",nozzle:"\u0421\u043E\u043F\u043B\u043E",nozzle_n:"\u0421\u043E\u043F\u043B\u043E {n}",bed:"\u0421\u0442\u0456\u043B",chamber:"\u041A\u0430\u043C\u0435\u0440\u0430",pause:"\u041F\u0440\u0438\u0437\u0443\u043F\u0438\u043D\u0438\u0442\u0438",resume:"\u0412\u0456\u0434\u043D\u043E\u0432\u0438\u0442\u0438",stop:"\u0417\u0443\u043F\u0438\u043D\u0438\u0442\u0438",confirm_pause:"\u041F\u0440\u0438\u0437\u0443\u043F\u0438\u043D\u0438\u0442\u0438 \u0434\u0440\u0443\u043A?",confirm_stop:"\u0417\u0443\u043F\u0438\u043D\u0438\u0442\u0438 \u0434\u0440\u0443\u043A? \u0419\u043E\u0433\u043E \u043D\u0435 \u043C\u043E\u0436\u043D\u0430 \u0431\u0443\u0434\u0435 \u0432\u0456\u0434\u043D\u043E\u0432\u0438\u0442\u0438.",yes:"\u0422\u0430\u043A",cancel:"\u0421\u043A\u0430\u0441\u0443\u0432\u0430\u0442\u0438",light:"\u041F\u0456\u0434\u0441\u0432\u0456\u0447\u0443\u0432\u0430\u043D\u043D\u044F",speed:"\u0428\u0432\u0438\u0434\u043A\u0456\u0441\u0442\u044C",filament:"\u0424\u0456\u043B\u0430\u043C\u0435\u043D\u0442",unknown:"\u041D\u0435\u0432\u0456\u0434\u043E\u043C\u043E",learn_more:"\u0414\u043E\u043A\u043B\u0430\u0434\u043D\u0456\u0448\u0435",humidity:"\u0412\u043E\u043B\u043E\u0433\u0456\u0441\u0442\u044C",temperature:"\u0422\u0435\u043C\u043F\u0435\u0440\u0430\u0442\u0443\u0440\u0430",drying:"\u0421\u0443\u0448\u0456\u043D\u043D\u044F",drying_left:"\u0421\u0443\u0448\u0456\u043D\u043D\u044F, \u0437\u0430\u043B\u0438\u0448\u0438\u043B\u043E\u0441\u044F {time}",external:"\u0417\u043E\u0432\u043D\u0456\u0448\u043D\u044F \u043A\u043E\u0442\u0443\u0448\u043A\u0430",left:"\u0417\u0430\u043B\u0438\u0448\u0438\u043B\u043E\u0441\u044F {n} %",load:"\u0417\u0430\u0432\u0430\u043D\u0442\u0430\u0436\u0438\u0442\u0438",unload:"\u0412\u0438\u0432\u0430\u043D\u0442\u0430\u0436\u0438\u0442\u0438",set_filament:"\u0417\u0430\u0434\u0430\u0442\u0438 \u0444\u0456\u043B\u0430\u043C\u0435\u043D\u0442",type:"\u0422\u0438\u043F",color:"\u041A\u043E\u043B\u0456\u0440",save:"\u0417\u0431\u0435\u0440\u0435\u0433\u0442\u0438",no_ams:"\u0426\u0435\u0439 \u043F\u0440\u0438\u043D\u0442\u0435\u0440 \u043D\u0435 \u043C\u0430\u0454 \u043D\u0456 AMS, \u043D\u0456 \u0437\u043E\u0432\u043D\u0456\u0448\u043D\u044C\u043E\u0457 \u043A\u043E\u0442\u0443\u0448\u043A\u0438.",tap_objects:"\u0422\u043E\u0440\u043A\u043D\u0456\u0442\u044C\u0441\u044F \u043E\u0431\u2019\u0454\u043A\u0442\u0456\u0432, \u044F\u043A\u0456 \u0442\u0440\u0435\u0431\u0430 \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438.",skip_n:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438 ({n})",confirm_skip:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438 {names}? \u0426\u044E \u0434\u0456\u044E \u043D\u0435 \u043C\u043E\u0436\u043D\u0430 \u0441\u043A\u0430\u0441\u0443\u0432\u0430\u0442\u0438.",skipped:"\u041F\u0440\u043E\u043F\u0443\u0449\u0435\u043D\u043E",no_objects:"\u0423 \u043F\u043E\u0442\u043E\u0447\u043D\u043E\u043C\u0443 \u0437\u0430\u0432\u0434\u0430\u043D\u043D\u0456 \u043D\u0435\u043C\u0430\u0454 \u043E\u0431\u2019\u0454\u043A\u0442\u0456\u0432, \u044F\u043A\u0456 \u043C\u043E\u0436\u043D\u0430 \u043F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438.",minutes:"\u0445\u0432",hours:"\u0433\u043E\u0434",history_card:"\u0406\u0441\u0442\u043E\u0440\u0456\u044F \u0434\u0440\u0443\u043A\u0443 Bambu",history_card_description:"\u041E\u0441\u0442\u0430\u043D\u043D\u0456 \u0434\u0440\u0443\u043A\u0438 \u043F\u0440\u0438\u043D\u0442\u0435\u0440\u0430 Bambu Lab: \u043E\u0431\u043A\u043B\u0430\u0434\u0438\u043D\u043A\u0430, \u0440\u0435\u0437\u0443\u043B\u044C\u0442\u0430\u0442, \u0442\u0440\u0438\u0432\u0430\u043B\u0456\u0441\u0442\u044C \u0456 \u0444\u0456\u043B\u0430\u043C\u0435\u043D\u0442.",no_jobs:"\u0412 \u0456\u0441\u0442\u043E\u0440\u0456\u0457 \u0449\u0435 \u043D\u0435\u043C\u0430\u0454 \u0434\u0440\u0443\u043A\u0456\u0432.",finished:"\u0417\u0430\u0432\u0435\u0440\u0448\u0435\u043D\u043E",failed:"\u041D\u0435\u0432\u0434\u0430\u043B\u043E",skip:"\u041F\u0440\u043E\u043F\u0443\u0441\u0442\u0438\u0442\u0438"},Lt={printer_card:"\u62D3\u7AF9\u6253\u5370\u673A",printer_card_description:"\u62D3\u7AF9\u6253\u5370\u673A\u7684\u72B6\u6001\u3001\u8FDB\u5EA6\u3001\u6E29\u5EA6\u548C\u63A7\u5236\u3002",ams_card:"\u62D3\u7AF9 AMS",ams_card_description:"\u4EE5\u8017\u6750\u989C\u8272\u663E\u793A\u62D3\u7AF9\u6253\u5370\u673A\u7684\u6BCF\u4E2A AMS \u5355\u5143\u548C\u6599\u5377\u3002",skip_card:"\u62D3\u7AF9\u8DF3\u8FC7\u5BF9\u8C61",skip_card_description:"\u5728\u6253\u5370\u677F\u4E0A\u9009\u62E9\u6B63\u5728\u6253\u5370\u7684\u5BF9\u8C61\u5E76\u8DF3\u8FC7\u3002",printer:"\u6253\u5370\u673A",show_camera:"\u663E\u793A\u5B9E\u65F6\u6444\u50CF\u5934\u800C\u975E\u5C01\u9762",choose_printer:"\u8BF7\u5728\u5361\u7247\u8BBE\u7F6E\u4E2D\u9009\u62E9\u4E00\u53F0\u6253\u5370\u673A\u3002",layer:"\u5C42",remaining:"\u5269\u4F59\u65F6\u95F4",ends:"\u9884\u8BA1\u5B8C\u6210",nozzle:"\u55B7\u5634",nozzle_n:"\u55B7\u5634 {n}",bed:"\u70ED\u5E8A",chamber:"\u8154\u4F53",pause:"\u6682\u505C",resume:"\u7EE7\u7EED",stop:"\u505C\u6B62",confirm_pause:"\u6682\u505C\u6253\u5370\uFF1F",confirm_stop:"\u505C\u6B62\u6253\u5370\uFF1F\u505C\u6B62\u540E\u65E0\u6CD5\u7EE7\u7EED\u3002",yes:"\u662F",cancel:"\u53D6\u6D88",light:"\u706F",speed:"\u901F\u5EA6",filament:"\u8017\u6750",unknown:"\u672A\u77E5",learn_more:"\u4E86\u89E3\u66F4\u591A",humidity:"\u6E7F\u5EA6",temperature:"\u6E29\u5EA6",drying:"\u70D8\u5E72\u4E2D",drying_left:"\u70D8\u5E72\u4E2D\uFF0C\u5269\u4F59 {time}",external:"\u5916\u90E8\u6599\u5377",left:"\u5269\u4F59 {n} %",load:"\u8FDB\u6599",unload:"\u9000\u6599",set_filament:"\u8BBE\u7F6E\u8017\u6750",type:"\u7C7B\u578B",color:"\u989C\u8272",save:"\u4FDD\u5B58",no_ams:"\u8FD9\u53F0\u6253\u5370\u673A\u6CA1\u6709 AMS \u548C\u5916\u90E8\u6599\u5377\u3002",tap_objects:"\u70B9\u51FB\u8981\u8DF3\u8FC7\u7684\u5BF9\u8C61\u3002",skip_n:"\u8DF3\u8FC7 {n} \u4E2A",confirm_skip:"\u8DF3\u8FC7 {names}\uFF1F\u6B64\u64CD\u4F5C\u65E0\u6CD5\u64A4\u9500\u3002",skipped:"\u5DF2\u8DF3\u8FC7",no_objects:"\u5F53\u524D\u4EFB\u52A1\u6CA1\u6709\u53EF\u8DF3\u8FC7\u7684\u5BF9\u8C61\u3002",minutes:"\u5206\u949F",hours:"\u5C0F\u65F6",history_card:"\u62D3\u7AF9\u6253\u5370\u5386\u53F2",history_card_description:"\u62D3\u7AF9\u6253\u5370\u673A\u6700\u8FD1\u7684\u6253\u5370\uFF1A\u5C01\u9762\u3001\u7ED3\u679C\u3001\u7528\u65F6\u548C\u8017\u6750\u3002",no_jobs:"\u5386\u53F2\u4E2D\u8FD8\u6CA1\u6709\u6253\u5370\u8BB0\u5F55\u3002",finished:"\u5DF2\u5B8C\u6210",failed:"\u5931\u8D25",skip:"\u8DF3\u8FC7"},Ie={en:fe,ca:pt,cs:mt,da:ut,de:ht,el:bt,es:ft,fr:gt,hu:_t,it:yt,ja:kt,ko:vt,nl:$t,pl:xt,pt:St,"pt-BR":wt,ru:At,sk:zt,sv:jt,th:Bt,tr:Tt,uk:Et,"zh-Hans":Lt};function x(i){if(!i)return fe;let e=i.trim().replace(/_/g,"-").toLowerCase(),t=s=>Object.keys(Ie).find(a=>a.toLowerCase()===s),r=e.split("-",1)[0],n=t(e)??(r==="zh"?"zh-Hans":t(r));return n?Ie[n]:fe}function ee(i,e,t={}){return i[e].replace(/\{(\w+)\}/g,(r,n)=>n in t?String(t[n]):r)}var h=class extends f{setConfig(e){if(!e||typeof e!="object")throw new Error("Invalid configuration");this.config={...e}}static getStubConfig(e){let[t]=Y(e);return t?{device_id:t}:{}}static getConfigElement(){return document.createElement("bambu-card-editor")}getCardSize(){return 4}t(e,t){return ee(x(this.hass?.locale?.language??this.hass?.language),e,t)}get language(){return this.hass?.locale?.language??this.hass?.language??"en"}entities(){if(!(!this.hass||!this.config?.device_id))return new Q(this.hass,this.config.device_id)}deviceName(){let e=this.config?.device_id?this.hass?.devices[this.config.device_id]:void 0;return e?.name_by_user||e?.name||""}formatState(e,t){let r=e?this.hass?.states[e]:void 0;if(!(!r||!this.hass))return this.hass.formatEntityState?this.hass.formatEntityState(r,t):t??r.state}};h.properties={hass:{attribute:!1},config:{state:!0}},h.baseStyles=b`
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
  `;var L=class extends h{updated(){let e=this.config?.device_id,t=this.hass&&e?`${e}:${Object.keys(this.hass.entities).length}`:void 0;this.hass&&e&&this.printerLayoutFor!==t&&(this.printerLayoutFor=t,this.hass.callWS({type:"bambu_cloud/printer_layout",device_id:e}).then(r=>this.printerLayout=r).catch(()=>this.printerLayout=void 0))}render(){let e=this.entities();if(!e)return c`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=this.printerLayout,r=t?Re(e.state("sensor.active_tray"),t.external_ams_id):void 0,n=(s,a)=>r?.amsId===s&&r.slot===a;return c`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${t&&!t.units.length&&!t.external.length?c`<div class="muted">${this.t("no_ams")}</div>`:d}
      ${(t?.units??[]).map(s=>this.renderUnit(s,n))}
      ${t?.external.length?c`<section class="unit external">
            <div class="unit-head"><span class="unit-name">${this.t("external")}</span></div>
            <div class="trays">
              ${t.external.map(s=>this.renderTray(void 0,s,n(t.external_ams_id,s.slot)))}
            </div>
          </section>`:d}
      ${this.renderSelected()}
    </ha-card>`}renderUnit(e,t){let r=l=>l?this.hass?.states[l]:void 0,n=r(e.humidity),s=r(e.temperature),a=r(e.drying),o=E(g(r(e.drying_remaining)?.state),{h:this.t("hours"),min:this.t("minutes")});return c`<section class="unit" data-unit=${e.id}>
      <div class="unit-head">
        <span class="unit-name">${e.label}</span>
        <span class="muted climate">
          ${k(n)?c`<span><ha-icon icon="mdi:water-percent"></ha-icon>${Math.round(Number(n.state))} %</span>`:d}
          ${k(s)?c`<span><ha-icon icon="mdi:thermometer"></ha-icon>${Number(s.state).toFixed(1)} °C</span>`:d}
          ${a?.state==="on"?c`<span class="drying"><ha-icon icon="mdi:heat-wave"></ha-icon>${o?this.t("drying_left",{time:o}):this.t("drying")}</span>`:d}
        </span>
      </div>
      <div class="trays">${e.trays.map(l=>this.renderTray(e,l,t(e.id,l.slot)))}</div>
    </section>`}renderTray(e,t,r){let n=t.filament?this.hass?.states[t.filament]:void 0,s=t.remaining?this.hass?.states[t.remaining]:void 0,a=be(n,s,e===void 0),o=X(a.color,a.colors),l=this.selected?.slot===t;return c`<button
      class="tray ${r?"active":""} ${a.empty?"empty":""} ${l?"selected":""}"
      data-label=${t.label}
      data-color=${a.color??""}
      title=${t.label}
      @click=${()=>this.selected=l?void 0:{unit:e,slot:t}}
    >
      <span class="spool" style="background:${o};color:${Ue(a.color)}">
        <span class="slot-label">${t.label}</span>
        ${a.remaining!==void 0?c`<span class="used" style="height:${100-a.remaining}%"></span>`:d}
      </span>
      <span class="type">${a.type??(a.empty?"":"?")}</span>
      <span class="filament-name muted">${this.formatState(t.filament??void 0)??"\u2014"}</span>
      <span class="left muted">${a.remaining!==void 0?this.t("left",{n:a.remaining}):a.empty?"":this.t("unknown")}</span>
    </button>`}renderSelected(){let e=this.selected,t=this.config?.device_id;if(!e||!t)return d;let r=e.unit?.device_id??t,n=e.unit?{tray:e.slot.tray}:{},s=e.slot.filament?this.hass?.states[e.slot.filament]:void 0,a=be(s,void 0);return c`<div class="confirm tray-actions">
      <span>${e.unit?e.unit.label+" \xB7 ":""}${e.slot.label}</span>
      <button class="action load" @click=${()=>this.call("load_filament",{device_id:r,...n})}>
        ${this.t("load")}
      </button>
      <button class="action unload" @click=${()=>this.call("unload_filament",{device_id:t})}>
        ${this.t("unload")}
      </button>
      <form
        class="set"
        @submit=${o=>{o.preventDefault();let l=o.target,m=l.elements.namedItem("type").value.trim(),u=Ne(l.elements.namedItem("color").value);this.call("set_filament",{device_id:r,...n,...m?{type:m}:{},...u?{color:u}:{}})}}
      >
        <label>${this.t("type")} <input name="type" size="8" .value=${a.type??""} /></label>
        <label>${this.t("color")} <input name="color" type="color" .value=${a.color??"#ffffff"} /></label>
        <button class="action primary" type="submit">${this.t("set_filament")}</button>
      </form>
    </div>`}call(e,t){this.selected=void 0,this.hass?.callService("bambu_cloud",e,t)}getCardSize(){return 4+(this.printerLayout?.units.length??1)*2}};L.properties={...h.properties,printerLayout:{state:!0},selected:{state:!0}},L.styles=[h.baseStyles,b`
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
    `];async function Ct(){if(customElements.get("ha-form")||!window.loadCardHelpers)return;let t=(await window.loadCardHelpers()).createCardElement({type:"entities",entities:[]}).constructor.getConfigElement;await t?.()}var V=class extends f{constructor(){super(...arguments);this.ready=!1}setConfig(t){this.config=t}connectedCallback(){super.connectedCallback(),Ct().then(()=>this.ready=!0)}t(t){return ee(x(this.hass?.locale?.language??this.hass?.language),t)}get schema(){let t=[{name:"device_id",required:!0,selector:{device:{filter:{integration:"bambu_cloud"},entity:{integration:"bambu_cloud",domain:"button"}}}}];return this.config?.type==="custom:bambu-printer-card"&&t.push({name:"show_camera",selector:{boolean:{}}}),t}render(){return!this.hass||!this.config||!this.ready?c``:c`<ha-form
      .hass=${this.hass}
      .data=${this.config}
      .schema=${this.schema}
      .computeLabel=${t=>this.t(t.name==="device_id"?"printer":"show_camera")}
      @value-changed=${t=>{this.config={...t.detail.value,type:this.config.type},this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:this.config},bubbles:!0,composed:!0}))}}
    ></ha-form>`}};V.properties={hass:{attribute:!1},config:{state:!0},ready:{state:!0}};function Ve(i,e,t={h:"h",min:"min"}){let r=new Date(i.start),n=i.outcome==="finished"||i.outcome==="failed"?i.outcome:"unknown";return{id:i.id,title:i.title,when:Number.isNaN(r.getTime())?"":r.toLocaleString(e,{dateStyle:"medium",timeStyle:"short"}),outcome:n,duration:i.seconds===null?void 0:E(i.seconds/60,t),filament:i.weight===null?void 0:`${i.weight<10?i.weight.toFixed(1):Math.round(i.weight)} g`,cover:i.cover}}var Ke=5,C=class extends h{updated(){let e=this.config?.device_id;!this.hass?.connection||!e||this.subscribedTo===e||(this.stop(),this.subscribedTo=e,this.unsubscribe=this.hass.connection.subscribeMessage(t=>this.jobs=t.jobs,{type:"bambu_cloud/subscribe_history",device_id:e,limit:Ke}),this.unsubscribe.catch(()=>this.jobs=void 0))}disconnectedCallback(){super.disconnectedCallback(),this.stop()}stop(){this.unsubscribe?.then(e=>e()).catch(()=>{}),this.unsubscribe=void 0,this.subscribedTo=void 0}render(){if(!this.config?.device_id||!this.hass)return c`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let e={h:this.t("hours"),min:this.t("minutes")},t=(this.jobs??[]).map(r=>Ve(r,this.language,e));return c`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${this.jobs&&!t.length?c`<div class="muted">${this.t("no_jobs")}</div>`:d}
      <ul class="jobs">
        ${t.map(r=>c`<li class="job" data-id=${r.id}>
            <span class="cover">
              ${r.cover?c`<img src=${r.cover} alt="" loading="lazy" />`:c`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
            </span>
            <span class="what">
              <span class="title">${r.title}</span>
              <span class="muted when">${r.when}</span>
            </span>
            <span class="facts">
              <span class="badge outcome ${r.outcome}">${this.t(r.outcome)}</span>
              <span class="muted">${[r.duration,r.filament].filter(Boolean).join(" \xB7 ")}</span>
            </span>
          </li>`)}
      </ul>
    </ha-card>`}getCardSize(){return 2+Ke}};C.properties={...h.properties,jobs:{state:!0}},C.styles=[h.baseStyles,b`
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
    `];function qe(i){let e=i?.attributes.errors;return Array.isArray(e)?e.filter(t=>typeof t=="object"&&t!==null).map(t=>({code:String(t.code??""),severity:String(t.severity??""),text:typeof t.text=="string"?t.text:"",url:typeof t.url=="string"&&/^https:\/\//.test(t.url)?t.url:void 0})):[]}function We(i){if(typeof i=="string")return i.replace("/api/camera_proxy/","/api/camera_proxy_stream/")}var ge=42,M=class extends h{updated(){let e=this.config?.device_id;this.hass&&e&&this.printerLayoutFor!==e&&(this.printerLayoutFor=e,this.hass.callWS({type:"bambu_cloud/printer_layout",device_id:e}).then(t=>this.printerLayout=t).catch(()=>this.printerLayout=void 0))}render(){let e=this.entities();if(!e)return c`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=e.state("sensor.print_status"),r=e.number("sensor.progress");return c`<ha-card>
      <div class="header">
        <span class="name">${this.deviceName()}</span>
        <span class="badge status">${this.formatState(t?.entity_id)??"\u2014"}</span>
      </div>
      <div class="top">
        ${this.renderPicture(e)}
        <div class="ring">${this.renderRing(r)}</div>
      </div>
      ${this.renderJob(e)} ${this.renderTemperatures(e)} ${this.renderErrors(e)}
      ${this.renderControls(e)} ${this.renderConfirm(e)}
    </ha-card>`}renderPicture(e){let t=e.state("camera.camera"),r=e.state("image.cover"),n;return this.config?.show_camera&&k(t)?n=We(t.attributes.entity_picture):k(r)&&typeof r.attributes.entity_picture=="string"&&(n=r.attributes.entity_picture),c`<div class="picture">
      ${n?c`<img src=${n} alt="" />`:c`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
    </div>`}renderRing(e){let{circumference:t,offset:r}=Oe(e,ge);return c`<svg viewBox="0 0 100 100" role="img" aria-label="${e??0} %">
      ${G`<circle class="track" cx="50" cy="50" r=${ge}></circle>
      <circle class="bar" cx="50" cy="50" r=${ge}
        stroke-dasharray=${t} stroke-dashoffset=${r}></circle>
      <text x="50" y="50" class="percent">${e===void 0?"\u2014":`${Math.round(e)} %`}</text>`}
    </svg>`}renderJob(e){let t=e.state("sensor.job_name"),r=e.state("sensor.stage"),n=e.number("sensor.current_layer"),s=e.number("sensor.total_layers"),a=E(e.number("sensor.remaining_time"),{h:this.t("hours"),min:this.t("minutes")}),o=Fe(e.state("sensor.end_time")?.state,this.language);return c`<div class="job">
        <span class="job-name">${k(t)?t.state:""}</span>
        <span class="muted stage">${k(r)?this.formatState(r.entity_id):""}</span>
      </div>
      <div class="facts">
        <div><span class="muted">${this.t("layer")}</span><span class="layers">${n??"\u2014"} / ${s??"\u2014"}</span></div>
        <div><span class="muted">${this.t("remaining")}</span><span class="remaining">${a??"\u2014"}</span></div>
        <div><span class="muted">${this.t("ends")}</span><span class="end">${o??"\u2014"}</span></div>
      </div>`}renderTemperatures(e){let t=[],r=this.printerLayout?.nozzles??[],n=o=>o?g(this.hass?.states[o]?.state):void 0,s=o=>e.number(`number.${o}`)??e.number(`sensor.${o}`);if(r.length>1)for(let o of r)t.push(this.chip("mdi:printer-3d-nozzle",this.t("nozzle_n",{n:o.index+1}),I(n(o.temperature),n(o.target)),`nozzle-${o.index+1}`));else e.id("sensor.nozzle_temperature")&&t.push(this.chip("mdi:printer-3d-nozzle",this.t("nozzle"),I(e.number("sensor.nozzle_temperature"),s("nozzle_target_temperature")),"nozzle"));e.id("sensor.bed_temperature")&&t.push(this.chip("mdi:radiator",this.t("bed"),I(e.number("sensor.bed_temperature"),s("bed_target_temperature")),"bed")),e.id("sensor.chamber_temperature")&&t.push(this.chip("mdi:thermometer",this.t("chamber"),I(e.number("sensor.chamber_temperature"),s("chamber_target_temperature")),"chamber"));let a=e.state("sensor.active_tray");if(k(a)&&a.attributes.color){let o=Array.isArray(a.attributes.colors)?a.attributes.colors:[];t.push(c`<div class="chip filament">
        <span class="swatch" style="background:${X(a.attributes.color,o)}"></span>
        <span class="muted">${this.t("filament")}</span><span>${this.formatState(a.entity_id)}</span>
      </div>`)}return c`<div class="chips">${t}</div>`}chip(e,t,r,n){return c`<div class="chip temperature ${n}">
      <ha-icon icon=${e}></ha-icon><span class="muted">${t}</span><span class="value">${r}</span>
    </div>`}renderErrors(e){let t=qe(e.state("sensor.hms_errors"));return t.length?c`<ul class="errors">
      ${t.map(r=>c`<li class=${r.severity}>
          <ha-icon icon="mdi:alert-circle"></ha-icon>
          <span>${r.text||r.code}</span>
          ${r.url?c`<a href=${r.url} target="_blank" rel="noreferrer">${this.t("learn_more")}</a>`:d}
        </li>`)}
    </ul>`:d}renderControls(e){let t=a=>{let o=e.state(a);return o!==void 0&&o.state!=="unavailable"},r=e.state("light.chamber_light"),n=e.state("select.print_speed"),s=Array.isArray(n?.attributes.options)?n?.attributes.options:[];return c`<div class="controls">
      ${t("button.resume")?c`<button class="action primary resume" @click=${()=>this.press(e,"button.resume")}>
            ${this.t("resume")}
          </button>`:c`<button class="action pause" ?disabled=${!t("button.pause")} @click=${()=>this.pending="pause"}>
            ${this.t("pause")}
          </button>`}
      <button class="action stop" ?disabled=${!t("button.stop")} @click=${()=>this.pending="stop"}>
        ${this.t("stop")}
      </button>
      ${r?c`<button
            class="action light ${r.state==="on"?"primary":""}"
            ?disabled=${r.state==="unavailable"}
            @click=${()=>this.hass?.callService("light","toggle",{entity_id:r.entity_id})}
          >
            <ha-icon icon="mdi:lightbulb"></ha-icon> ${this.t("light")}
          </button>`:d}
      ${n&&s.length?c`<label class="speed"
            ><span class="muted">${this.t("speed")}</span>
            <select
              ?disabled=${n.state==="unavailable"}
              @change=${a=>this.hass?.callService("select","select_option",{entity_id:n.entity_id,option:a.target.value})}
            >
              ${s.map(a=>c`<option value=${a} ?selected=${a===n.state}>
                    ${this.formatState(n.entity_id,a)}
                  </option>`)}
            </select></label
          >`:d}
    </div>`}renderConfirm(e){if(!this.pending)return d;let t=this.pending;return c`<div class="confirm" role="alertdialog">
      <span>${this.t(t==="stop"?"confirm_stop":"confirm_pause")}</span>
      <button class="action" @click=${()=>this.pending=void 0}>${this.t("cancel")}</button>
      <button
        class="action ${t==="stop"?"danger":"primary"} confirm-yes"
        @click=${()=>{this.pending=void 0,this.press(e,`button.${t}`)}}
      >
        ${this.t("yes")}
      </button>
    </div>`}press(e,t){let r=e.id(t);r&&this.hass?.callService("button","press",{entity_id:r})}getCardSize(){return 7}};M.properties={...h.properties,pending:{state:!0},printerLayout:{state:!0}},M.styles=[h.baseStyles,b`
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
    `];function Ze(i,e){return i.filter(t=>e.has(t.id)&&!t.skipped).map(t=>t.id).sort((t,r)=>t-r)}function Je(i,e,t){let r=new Set(e),n=i.find(s=>s.id===t);return!n||n.skipped||(r.has(t)?r.delete(t):r.add(t)),r}function Ge(i,e,t=5){let r=i.filter(n=>e.includes(n.id)).map(n=>n.name||`#${n.id}`);return r.length>t?`${r.slice(0,t).join(", ")}, \u2026`:r.join(", ")}var _e=1e3,P=class extends h{constructor(){super(...arguments);this.selected=new Set;this.confirming=!1}updated(){let t=this.config?.device_id;!this.hass?.connection||!t||this.subscribedTo===t||(this.stop(),this.subscribedTo=t,this.unsubscribe=this.hass.connection.subscribeMessage(r=>{this.plate=r;let n=new Set(r.objects.filter(s=>!s.skipped).map(s=>s.id));this.selected=new Set([...this.selected].filter(s=>n.has(s)))},{type:"bambu_cloud/subscribe_plate_objects",device_id:t}),this.unsubscribe.catch(()=>this.plate=void 0))}disconnectedCallback(){super.disconnectedCallback(),this.stop()}stop(){this.unsubscribe?.then(t=>t()).catch(()=>{}),this.unsubscribe=void 0,this.subscribedTo=void 0}render(){if(!this.config?.device_id||!this.hass)return c`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;let t=this.plate,r=t?.objects??[],n=Ze(r,this.selected);return c`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${r.length?c`<div class="muted hint">${this.t("tap_objects")}</div>
            <div class="plate">
              ${t?.image?c`<img src=${t.image} alt="" />`:d}
              <svg viewBox="0 0 ${_e} ${_e}" preserveAspectRatio="none">
                ${r.map(s=>{if(!s.box)return d;let[a,o,l,m]=s.box.map(p=>p*_e),u=s.skipped?"skipped":this.selected.has(s.id)?"selected":"";return G`<g class="object ${u}" @click=${()=>this.toggle(s.id)}>
                    <rect class="object ${u}" data-id=${s.id}
                      x=${a} y=${o} width=${l-a} height=${m-o} rx="8">
                      <title>${s.name}</title></rect>
                    <text x=${(a+l)/2} y=${(o+m)/2}>${s.name||`#${s.id}`}</text>
                  </g>`})}
              </svg>
            </div>
            <ul class="objects">
              ${r.map(s=>c`<li>
                  <button
                    class="object-name ${s.skipped?"skipped":""} ${this.selected.has(s.id)?"selected":""}"
                    data-id=${s.id}
                    ?disabled=${s.skipped}
                    @click=${()=>this.toggle(s.id)}
                  >
                    ${s.name||`#${s.id}`}${s.skipped?c` · ${this.t("skipped")}`:d}
                  </button>
                </li>`)}
            </ul>
            <div class="controls">
              <button class="action danger skip" ?disabled=${!n.length} @click=${()=>this.confirming=!0}>
                ${n.length?this.t("skip_n",{n:n.length}):this.t("skip")}
              </button>
            </div>
            ${this.confirming&&n.length?c`<div class="confirm" role="alertdialog">
                  <span>${this.t("confirm_skip",{names:Ge(r,n)})}</span>
                  <button class="action" @click=${()=>this.confirming=!1}>${this.t("cancel")}</button>
                  <button class="action danger confirm-yes" @click=${()=>this.skip(n)}>${this.t("yes")}</button>
                </div>`:d}`:c`<div class="muted">${this.t("no_objects")}</div>`}
    </ha-card>`}toggle(t){this.selected=Je(this.plate?.objects??[],this.selected,t),this.confirming=!1}skip(t){this.confirming=!1,this.selected=new Set,this.hass?.callService("bambu_cloud","skip_objects",{device_id:this.config?.device_id,objects:t})}getCardSize(){return 8}};P.properties={...h.properties,plate:{state:!0},selected:{state:!0},confirming:{state:!0}},P.styles=[h.baseStyles,b`
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
    `];function Mt(i){let e=x(i.locale?.language??i.language),t=s=>i.devices[s]?.name_by_user||i.devices[s]?.name||e.printer;return{views:[{title:"Bambu Lab",path:"printers",type:"sections",max_columns:3,sections:Y(i).sort((s,a)=>t(s).localeCompare(t(a))).map(s=>({type:"grid",cards:[{type:"heading",heading:t(s)},{type:"custom:bambu-printer-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-ams-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-skip-card",device_id:s,grid_options:{columns:12}},{type:"custom:bambu-history-card",device_id:s,grid_options:{columns:12}}]}))}]}}var te=class extends HTMLElement{static async generate(e,t){return Mt(t)}};var Pt=[["bambu-printer-card",M],["bambu-ams-card",L],["bambu-skip-card",P],["bambu-history-card",C],["bambu-card-editor",V],["ll-strategy-dashboard-bambu-cloud",te]];for(let[i,e]of Pt)customElements.get(i)||customElements.define(i,e);var S=x(document.documentElement.lang||navigator.language),Dt="https://github.com/bambu-cloud/ha-bambu-cloud#dashboard-cards";window.customCards=window.customCards??[];for(let[i,e,t]of[["bambu-printer-card",S.printer_card,S.printer_card_description],["bambu-ams-card",S.ams_card,S.ams_card_description],["bambu-skip-card",S.skip_card,S.skip_card_description],["bambu-history-card",S.history_card,S.history_card_description]])window.customCards.some(r=>r.type===i)||window.customCards.push({type:i,name:e,description:t,preview:!0,documentationURL:Dt});
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
