// Starts Swagger UI on the service's own OpenAPI document. Kept out of index.html so that the
// page needs no inline script (and works under a Content-Security-Policy without 'unsafe-inline').
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    // The top bar's "Explore" box would fetch other documents; this page documents one service.
    plugins: [function () { return { components: { Topbar: function () { return null; } } }; }],
  });
};
