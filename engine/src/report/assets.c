/*
 * assets.c: the report page's style sheet and its one script, written
 * inline into every page (report.h: no network, no external files).
 *
 * The script is ours and small: it sorts a table when a header is clicked
 * (numbers by the cell's data-s, text by its text) and shows a sorted
 * table a page at a time (PAGE rows, the pager below it).  It reads only
 * the page's own attributes and text and writes only row visibility and
 * order, so nothing from the run's files is ever parsed as HTML by it.
 * Without script the page is whole: every capped row shows.
 */
#include "report_int.h"

const char txs__rpt_css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:8px 16px;"
    "color:#222}\n"
    "h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #ccc;"
    "margin-top:28px}\n"
    "table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:2px 6px;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#f3f3f3}th.sort{cursor:pointer}td.r,th.r{text-align:right}\n"
    ".warn{background:#fff3cd;border:1px solid #e0c060;padding:4px 8px;margin:4px 0}\n"
    ".bad{background:#f8d7da}.mono{font-family:ui-monospace,monospace;font-size:12px}\n"
    ".row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}.chart{border:1px solid #eee;padding:4px}\n"
    ".b3{color:#b00020;font-weight:bold}.b2{color:#a05a00}.b1{color:#555}\n"
    "tr.pg{display:none}details summary{cursor:pointer}.pager{margin:4px 0}.pager button{margin-right:4px}\n"
    "svg text{font:11px system-ui,sans-serif;fill:#333}\n";

const char txs__rpt_js[] =
    "(function(){\n"
    "var PAGE=50;\n"
    "function rows(t){return Array.prototype.slice.call(t.tBodies[0].rows);}\n"
    "function key(r,i,num){var c=r.cells[i];if(!c)return num?0:'';\n"
    "  if(num){var v=parseFloat(c.getAttribute('data-s'));return isNaN(v)?0:v;}\n"
    "  return c.getAttribute('data-s')||c.textContent;}\n"
    "function page(t,p){var rs=rows(t),n=Math.max(1,Math.ceil(rs.length/PAGE));\n"
    "  p=Math.min(Math.max(p,0),n-1);t.setAttribute('data-page',p);\n"
    "  rs.forEach(function(r,i){r.classList.remove('pg');r.style.display=(i>=p*PAGE&&i<(p+1)*PAGE)?'':'none';});\n"
    "  var g=document.getElementById(t.id+'-pager');\n"
    "  if(g)g.querySelector('span').textContent='page '+(p+1)+' of '+n+' ('+rs.length+' rows)';}\n"
    "function sort(t,i,num){var dir=t.getAttribute('data-col')==String(i)&&"
    "t.getAttribute('data-dir')==='1'?-1:1;\n"
    "  t.setAttribute('data-col',i);t.setAttribute('data-dir',dir);\n"
    "  var rs=rows(t).map(function(r,j){return [key(r,i,num),j,r];});\n"
    "  rs.sort(function(a,b){return a[0]<b[0]?-dir:a[0]>b[0]?dir:a[1]-b[1];});\n"
    "  var b=t.tBodies[0];rs.forEach(function(x){b.appendChild(x[2]);});\n"
    "  if(t.classList.contains('paged'))page(t,0);}\n"
    "document.querySelectorAll('table.sortable').forEach(function(t){\n"
    "  Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){\n"
    "    th.classList.add('sort');th.title='sort';\n"
    "    th.addEventListener('click',function(){sort(t,i,th.getAttribute('data-type')==='num');});});\n"
    "  if(!t.classList.contains('paged'))return;\n"
    "  var g=document.createElement('div');g.className='pager';g.id=t.id+'-pager';\n"
    "  var a=document.createElement('button'),z=document.createElement('button');\n"
    "  a.textContent='previous';z.textContent='next';g.appendChild(a);g.appendChild(z);\n"
    "  g.appendChild(document.createElement('span'));t.parentNode.insertBefore(g,t);\n"
    "  a.addEventListener('click',function(){page(t,+t.getAttribute('data-page')-1);});\n"
    "  z.addEventListener('click',function(){page(t,+t.getAttribute('data-page')+1);});\n"
    "  page(t,0);});\n"
    "})();\n";
