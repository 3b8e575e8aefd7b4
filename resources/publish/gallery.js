/* mediadesk gallery: a lightbox for the photo grid that works with the keyboard.
   Without JavaScript every picture link simply opens the large picture. No other requests. */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll(".photo-grid a.zoom"));
  if (!links.length || typeof HTMLDialogElement !== "function") { return; }
  var current = 0, opener = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }
  var dialog = el("dialog", { "class": "lightbox", "aria-label": "Photo viewer" });
  var inner = el("div", { "class": "lightbox-inner" });
  var bar = el("div", { "class": "lightbox-bar" });
  var counter = el("p", { "class": "lightbox-counter", "aria-live": "polite" });
  var close = el("button", { "type": "button", "class": "close" }, "Close");
  var figure = el("figure");
  var img = el("img", { "alt": "" });
  var prev = el("button", { "type": "button", "class": "nav prev", "aria-label": "Previous photo" }, "‹");
  var next = el("button", { "type": "button", "class": "nav next", "aria-label": "Next photo" }, "›");
  var caption = el("figcaption", { "class": "lightbox-caption" });
  bar.appendChild(counter); bar.appendChild(close);
  figure.appendChild(prev); figure.appendChild(img); figure.appendChild(next);
  inner.appendChild(bar); inner.appendChild(figure); inner.appendChild(caption);
  dialog.appendChild(inner);
  document.body.appendChild(dialog);

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current], thumb = link.querySelector("img");
    img.src = link.getAttribute("href");
    img.alt = thumb ? thumb.alt : "";
    if (link.dataset.width) { img.width = +link.dataset.width; img.height = +link.dataset.height; }
    counter.textContent = "Photo " + (current + 1) + " of " + links.length;
    caption.textContent = "";
    var source = document.getElementById(link.closest(".card").id + "-caption");
    if (source) {
      Array.prototype.forEach.call(source.children, function (child) {
        caption.appendChild(child.cloneNode(true));
      });
    }
    prev.hidden = next.hidden = links.length < 2;
  }
  function open(index, from) {
    opener = from || links[index];
    show(index);
    dialog.showModal();
    close.focus();
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      event.preventDefault();
      open(index, link);
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    img.removeAttribute("src");
    if (opener) { opener.focus(); }
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    else if (event.key === "Home") { show(0); event.preventDefault(); }
    else if (event.key === "End") { show(links.length - 1); event.preventDefault(); }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog || event.target === figure) { dialog.close(); }
  });
}());
