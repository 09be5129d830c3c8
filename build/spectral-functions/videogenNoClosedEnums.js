// VideoGen (issue 11, tolerant reader): what a vendor sends us must not be held to a closed list.
// Reports every `enum` reachable from a schema given to it (properties, items, allOf/oneOf/anyOf,
// additionalProperties), through $refs, which Spectral has already resolved. The convention for a
// response or callback field with known values is an open string with `x-known-values`.
"use strict";

module.exports = function videogenNoClosedEnums(input, _options, context) {
  const results = [];
  const seen = new Set();

  function walk(node, path) {
    if (node === null || typeof node !== "object" || seen.has(node)) {
      return;
    }
    seen.add(node);
    if (Array.isArray(node.enum)) {
      results.push({
        message: `A closed enum (${node.enum.slice(0, 6).join(", ")}) in a schema VideoGen reads; use an open string with x-known-values.`,
        path: [...path],
      });
    }
    for (const [key, child] of Object.entries(node.properties || {})) {
      walk(child, [...path, "properties", key]);
    }
    for (const keyword of ["allOf", "oneOf", "anyOf"]) {
      (node[keyword] || []).forEach((child, index) => walk(child, [...path, keyword, index]));
    }
    walk(node.items, [...path, "items"]);
    if (typeof node.additionalProperties === "object") {
      walk(node.additionalProperties, [...path, "additionalProperties"]);
    }
  }

  walk(input, context.path || []);
  return results;
};
