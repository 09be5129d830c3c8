using System.Net;
using VideoGen.Http;

namespace VideoGen;

/// <summary>
/// Turns what a vendor call throws (the generated client's <see cref="ApiException"/>, a transport failure, a body cut
/// off, HttpClient's timeout) into a <see cref="VideoGenException"/> that names the vendor and never shows the API key.
/// With <see cref="VendorErrorMapper"/>, which builds the exception of an error response, it is the one place of error
/// translation: every adapter runs its calls through <see cref="TranslateAsync{T}"/>.
/// </summary>
internal sealed class VendorExceptionTranslator
{
    private readonly string _vendor;
    private readonly string? _apiKey;

    /// <summary>A translator for one vendor's calls, redacting <paramref name="apiKey"/>.</summary>
    /// <param name="vendor">The vendor's display name, for messages.</param>
    /// <param name="apiKey">The key to redact; null when none is configured.</param>
    public VendorExceptionTranslator(string vendor, string? apiKey)
    {
        _vendor = vendor;
        _apiKey = apiKey;
    }

    /// <summary>Vendor text that lands in a job or a message (a failure reason, a status word), with the key redacted.</summary>
    public string? Redact(string? text) => text is null ? null : Excerpt.Redact(text, _apiKey);

    /// <summary>Runs <paramref name="call"/>; whatever it throws leaves as a <see cref="VideoGenException"/> naming the vendor.</summary>
    /// <param name="call">The vendor call.</param>
    /// <param name="operation">What was being done, for the message ("reading job 42").</param>
    /// <param name="jobId">The job the call was about, kept on the error; null for a submission.</param>
    /// <param name="read">The tolerant reader's context of this call (an undocumented 2xx status it saw).</param>
    public async Task<T> TranslateAsync<T>(Func<Task<T>> call, string operation, string? jobId, VendorJson.ReadContext? read = null)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            // Generated code throws ApiException for a 1xx-3xx status the spec does not list, or a body it
            // cannot read; it knows neither the vendor nor the key, so both are added here. Its body excerpt
            // and the JSON reader's words quote the response, which may echo the key: both are redacted, and
            // a chain whose text still shows the key is left off rather than attached.
            e.ResponseExcerpt = Excerpt.Of(e.Response, _apiKey);
            var reader = e.InnerException is Newtonsoft.Json.JsonException json ? " " + Bounded(json.Message) : string.Empty;
            throw new VideoGenException(
                $"{_vendor} sent a response VideoGen could not read while {operation}: {Excerpt.Redact(e.Message, _apiKey)}{reader}",
                _vendor,
                read?.UndocumentedStatus ?? e.StatusCode,
                Shows(e, _apiKey) ? null : e)
            {
                ErrorCode = e.ErrorCode,
                RequestId = VendorErrorMapper.RequestId(e.Headers, _apiKey),
                ResponseExcerpt = e.ResponseExcerpt,
                JobId = jobId,
            };
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            // HttpClient.Timeout elapsed: not the caller's cancellation, so a typed error that names the vendor.
            throw new VideoGenException($"{_vendor} did not answer in time while {operation}.", _vendor, statusCode: null, e)
            {
                JobId = jobId,
            };
        }
        catch (HttpRequestException e)
        {
            throw new VideoGenException(
                $"{_vendor} could not be reached while {operation}: {Excerpt.Redact(e.Message, _apiKey)}",
                _vendor,
                e.StatusCode,
                Sanitized(e))
            {
                JobId = jobId,
            };
        }
        catch (IOException e)
        {
            // The connection broke while the body was read (HttpIOException): the vendor answered, so a
            // submission may have been accepted; the inner exception says so to the journal.
            throw new VideoGenException(
                $"{_vendor}'s response was cut off while {operation}: {Excerpt.Redact(e.Message, _apiKey)}",
                _vendor,
                statusCode: null,
                Sanitized(e))
            {
                JobId = jobId,
            };
        }
        catch (VideoGenException e) when (jobId is not null && e.JobId is null && e.StatusCode != HttpStatusCode.NotFound)
        {
            // The job exists (the vendor only refused this read): keep its id for a later retry.
            e.JobId = jobId;
            throw;
        }
    }

    private string Bounded(string text)
    {
        var redacted = Excerpt.Redact(text, _apiKey);
        return redacted.Length > VendorErrorMapper.MessageWordsLimit ? redacted[..VendorErrorMapper.MessageWordsLimit] + "…" : redacted;
    }

    /// <summary>
    /// <paramref name="e"/> itself when its chain never shows the key, else a copy of the same kind (so callers that
    /// branch on the inner exception's type still can) whose message is redacted and which has no chain: a logger
    /// writing the inner exception (FailureDetail at Debug) must not write the key.
    /// </summary>
    private Exception Sanitized(Exception e)
    {
        if (!Shows(e, _apiKey))
        {
            return e;
        }

        var message = Excerpt.Redact(e.Message, _apiKey);
        return e switch
        {
            HttpIOException io => new HttpIOException(io.HttpRequestError, message),
            HttpRequestException http => new HttpRequestException(http.HttpRequestError, message, inner: null, http.StatusCode),
            IOException => new IOException(message),
            _ => new VideoGenException(message, _vendor),
        };
    }

    /// <summary>Whether the key shows anywhere in an exception chain's messages, excerpts or data.</summary>
    private static bool Shows(Exception? e, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return false;
        }

        for (; e is not null; e = e.InnerException)
        {
            if (Excerpt.Shows(e.Message, apiKey)
                || Excerpt.Shows((e as VideoGenException)?.ResponseExcerpt, apiKey)
                || e.Data.Values.Cast<object?>().Any(v => Excerpt.Shows(v?.ToString(), apiKey)))
            {
                return true;
            }
        }

        return false;
    }
}
