#!/usr/bin/env bash
# Rewrites the public API records after an intended public change (or after merging branches that changed it):
#  - src/<library>/PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt, checked at build time by
#    Microsoft.CodeAnalysis.PublicApiAnalyzers (RS0016: a public symbol not recorded; RS0017: a recorded symbol gone);
#  - tests/VideoGen.Tests/PublicApi/VideoGen.types.txt, the type declarations (bases, modifiers) the analyzer does not record.
# Nothing has been released yet, so every symbol is recorded as Unshipped and Shipped holds only the header. At a
# release, move the Unshipped lines into Shipped (the analyzer's convention); after that, a removed Shipped symbol is
# recorded by hand as a "*REMOVED*" line in Unshipped (RS0017 says which), as the analyzer's help describes.
# Usage: build/update-public-api.sh [project.csproj ...]   (default: every library under src/ that has PublicAPI files)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for f in src/*/PublicAPI.Shipped.txt; do projects+=("$(dirname "$f")/$(basename "$(dirname "$f")").csproj"); done
fi
for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  # The analyzer's code fix (RS0016, "add to public API") applied to the whole project.
  # --include-generated: the NSwag clients (generated/*.g.cs) are public API too.
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --include-generated
  echo "recorded $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) public symbols of $project"
done
VIDEOGEN_UPDATE_API_BASELINE=1 dotnet test tests/VideoGen.Tests --filter FullyQualifiedName~PublicApi
