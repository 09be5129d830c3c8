namespace VideoGen.Journal;

/// <summary>
/// The host a submission was sent to, as a journal records it (<see cref="JournalEntry.Endpoint"/>): a job id means
/// something only at the host that issued it (a standalone sandbox counts from 18500, as a real vendor may), so a
/// journaled job is only ever read, reconciled or downloaded again at its own host.
/// </summary>
public static class JournalEndpoint
{
    /// <summary>The endpoint recorded for a submission to a sandbox that lived inside one process (gone with it).</summary>
    /// <value><c>embedded-sandbox</c>.</value>
    public const string EmbeddedSandbox = "embedded-sandbox";

    /// <summary>
    /// The endpoint text for an API base URL: scheme, host, port and path, lower-case host, no trailing slash. User
    /// info, query and fragment are dropped, so no key or signed parameter is ever written to a journal.
    /// </summary>
    /// <param name="baseUrl">The vendor API base URL the create request went to (absolute).</param>
    /// <returns>For example <c>https://api.elumenta.ru/api</c> or <c>http://127.0.0.1:5080/api</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not absolute.</exception>
    public static string Describe(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URL must be absolute.", nameof(baseUrl));
        }

        var clean = new UriBuilder(baseUrl) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri;
        return (clean.GetLeftPart(UriPartial.Authority) + clean.AbsolutePath).TrimEnd('/');
    }

    /// <summary>How a recorded endpoint reads in a message.</summary>
    /// <param name="recorded">The endpoint in the journal, or <see langword="null"/>.</param>
    /// <returns>The endpoint, or a sentence that it was not recorded.</returns>
    public static string Show(string? recorded) => recorded ?? "an unrecorded host (the entry was written by an earlier version)";
}
