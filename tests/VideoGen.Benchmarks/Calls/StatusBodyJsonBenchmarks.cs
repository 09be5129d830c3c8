using System.Text;
using BenchmarkDotNet.Attributes;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Elumenta;

namespace VideoGen.Benchmarks.Calls;

/// <summary>
/// Only the JSON part of a status call: the same completed-generation body read from a stream by
/// System.Text.Json (the baseline's way) and by Newtonsoft.Json the way the generated client reads it
/// (StreamReader + JsonTextReader + a JsonSerializer created per call from the client's settings),
/// and by Newtonsoft.Json with one cached JsonSerializer.
/// </summary>
[MemoryDiagnoser]
public class StatusBodyJsonBenchmarks
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(ServeCommand.CompletedGenerationJson);

    // The generated client's settings: a plain JsonSerializerSettings (no UpdateJsonSerializerSettings partial exists in src/).
    private readonly Newtonsoft.Json.JsonSerializerSettings _settings = new();
    private Newtonsoft.Json.JsonSerializer _cached = null!;

    [GlobalSetup]
    public void Setup() => _cached = Newtonsoft.Json.JsonSerializer.Create(_settings);

    [Benchmark(Baseline = true, Description = "System.Text.Json (source-generated)")]
    public RawGeneration? SystemTextJson()
    {
        using var stream = new MemoryStream(Body, writable: false);
        return System.Text.Json.JsonSerializer.Deserialize(stream, RawJson.Default.RawGeneration);
    }

    [Benchmark(Description = "Newtonsoft, as the generated client")]
    public Generation? NewtonsoftAsGenerated()
    {
        using var stream = new MemoryStream(Body, writable: false);
        using var text = new StreamReader(stream);
        using var json = new Newtonsoft.Json.JsonTextReader(text);
        var serializer = Newtonsoft.Json.JsonSerializer.Create(_settings);
        return serializer.Deserialize<Generation>(json);
    }

    [Benchmark(Description = "Newtonsoft, cached serializer + pooled char buffers")]
    public Generation? NewtonsoftPooled()
    {
        using var stream = new MemoryStream(Body, writable: false);
        using var text = new StreamReader(stream);
        using var json = new Newtonsoft.Json.JsonTextReader(text) { ArrayPool = SharedCharPool.Instance };
        return _cached.Deserialize<Generation>(json);
    }

    [Benchmark(Description = "Newtonsoft, cached serializer")]
    public Generation? NewtonsoftCachedSerializer()
    {
        using var stream = new MemoryStream(Body, writable: false);
        using var text = new StreamReader(stream);
        using var json = new Newtonsoft.Json.JsonTextReader(text);
        return _cached.Deserialize<Generation>(json);
    }

    /// <summary>Newtonsoft's char-buffer pool hook over <see cref="System.Buffers.ArrayPool{T}.Shared"/>.</summary>
    private sealed class SharedCharPool : Newtonsoft.Json.IArrayPool<char>
    {
        public static readonly SharedCharPool Instance = new();

        public char[] Rent(int minimumLength) => System.Buffers.ArrayPool<char>.Shared.Rent(minimumLength);

        public void Return(char[]? array)
        {
            if (array is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(array);
            }
        }
    }
}
