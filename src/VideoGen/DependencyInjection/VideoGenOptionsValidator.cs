using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoGen.Catalog;

namespace VideoGen.DependencyInjection;

/// <summary>Checks <see cref="VideoGenOptions"/> once, where they enter, and reports every problem at once.</summary>
internal sealed class VideoGenOptionsValidator : IValidateOptions<VideoGenOptions>
{
    public ValidateOptionsResult Validate(string? name, VideoGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var known = options.KnownIds.ToList();
        if (!string.IsNullOrWhiteSpace(options.DefaultVendor)
            && options.FindId(options.DefaultVendor) is null)
        {
            failures.Add($"{VideoGenOptions.SectionName}:DefaultVendor: '{options.DefaultVendor}' is not a vendor; use one of {string.Join(", ", known)}.");
        }

        foreach (var id in known)
        {
            var vendor = options.GetVendor(id);
            if (vendor is null)
            {
                failures.Add($"{VideoGenOptions.SectionName}:{VideoGenServiceCollectionExtensions.SectionOf(id)}: the vendor's options are missing (null).");
                continue;
            }

            if (vendor.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            {
                failures.Add($"{VideoGenOptions.SectionName}:{VideoGenServiceCollectionExtensions.SectionOf(id)}:BaseUrl: '{url}' is not allowed; an absolute http or https URL is.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
