using Microsoft.AspNetCore.Http;

namespace VideoGen.Tests.Deviations;

/// <summary>Answers of the loopback stubs.</summary>
internal static class Respond
{
    public static async Task Json(HttpContext context, string json, int status = 200, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public static Task Html(HttpContext context, int status) => Text(context, status, "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>", "text/html");

    public static async Task Text(HttpContext context, int status, string body, string contentType = "text/plain", params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    public static Task Empty(HttpContext context, int status, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>Sends the headers of the whole file and the first <paramref name="cutAfter"/> bytes, then drops the connection.</summary>
    public static async Task CutDownload(HttpContext context, byte[] file, int cutAfter)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "video/mp4";
        context.Response.ContentLength = file.Length;
        context.Response.Headers.ETag = "\"v1\"";
        context.Response.Headers.AcceptRanges = "bytes";
        await context.Response.Body.WriteAsync(file.AsMemory(0, cutAfter));
        await context.Response.Body.FlushAsync();

        // Let the bytes reach the client before the reset, so the cut is where the test says.
        await Task.Delay(200);
        context.Abort();
    }

    /// <summary>A 206 with exactly the given Content-Range (whatever was asked for).</summary>
    public static async Task Range(HttpContext context, byte[] file, long from, long to, string? total = null, string? etag = "\"v1\"")
    {
        context.Response.StatusCode = 206;
        context.Response.ContentType = "video/mp4";
        context.Response.Headers.ContentRange = $"bytes {from}-{to}/{total ?? file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
        }

        context.Response.ContentLength = to - from + 1;
        await context.Response.Body.WriteAsync(file.AsMemory((int)from, (int)(to - from + 1)));
    }

    public static async Task Whole(HttpContext context, byte[] file, string etag = "\"v1\"")
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "video/mp4";
        context.Response.ContentLength = file.Length;
        context.Response.Headers.ETag = etag;
        await context.Response.Body.WriteAsync(file);
    }

    /// <summary>A small file whose every byte says where it is, so a misplaced range shows.</summary>
    public static byte[] File(int length)
    {
        // A whole ISO BMFF file (ftyp, moov, mdat box headers), so the downloader's container walk passes; the rest a pattern.
        return TestVideo.Stamp(Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251)).ToArray());
    }
}
