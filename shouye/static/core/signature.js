/* Signature pads (decision 0008): each [data-signature-pad] (shouye.core.signatures.SignaturePad) holds a
   canvas, a hidden input and a clear button. Drawing with a finger, pen or mouse fills the hidden input with
   the canvas as a PNG data URL, which the server checks (shouye/core/signatures.py) and prints on the
   document; an empty pad sends nothing and the document keeps its blank signature line. A form shown again
   after a refusal redraws the signature it kept. No inline script (CSP): loaded as a static file. */
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[type=hidden]");
    var clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !input) { return; }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";

    if (input.value.indexOf("data:image/png;base64,") === 0) {
      var kept = new Image();
      kept.addEventListener("load", function () { context.drawImage(kept, 0, 0, canvas.width, canvas.height); });
      kept.src = input.value;
      drawn = true;
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * canvas.width / box.width,
        y: (event.clientY - box.top) * canvas.height / box.height
      };
    }

    function save() {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
      context.lineTo(p.x + 0.1, p.y + 0.1);
      context.stroke();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
    });
    function stop() {
      if (!drawing) { return; }
      drawing = false;
      save();
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        save();
      });
    }
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
