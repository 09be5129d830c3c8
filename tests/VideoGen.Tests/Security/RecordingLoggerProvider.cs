using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VideoGen.Tests.Security;

/// <summary>
/// Records everything a logger is handed, at every level: the formatted message, every structured value,
/// the exception's full <see cref="Exception.ToString"/>, and the scopes open at the time.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        private readonly AsyncLocal<ImmutableScopes?> _scopes = new();

        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var parent = _scopes.Value;
            _scopes.Value = new ImmutableScopes(Text(state), parent);
            return new Scope(() => _scopes.Value = parent);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            for (var s = _scopes.Value; s is not null; s = s.Parent)
            {
                scopes.Add(s.Text);
            }

            owner.Records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), Text(state), exception?.ToString(), scopes));
        }

        /// <summary>The state's own text plus every structured value, so nothing logged escapes the check.</summary>
        private static string Text(object? state) => state switch
        {
            null => string.Empty,
            IEnumerable<KeyValuePair<string, object?>> pairs => string.Join("; ", pairs.Select(p => $"{p.Key}={Value(p.Value)}")) + " | " + state,
            _ => state.ToString() ?? string.Empty,
        };

        private static string Value(object? value) => value switch
        {
            null => "null",
            string s => s,
            IEnumerable items => string.Join(",", items.Cast<object?>().Select(Value)),
            _ => value.ToString() ?? string.Empty,
        };
    }

    private sealed record ImmutableScopes(string Text, ImmutableScopes? Parent);

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}

/// <summary>One log call as the provider saw it.</summary>
internal sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, string State, string? Exception, IReadOnlyList<string> Scopes)
{
    /// <summary>Everything the record holds, as text.</summary>
    public string AllText => string.Join("\n", new[] { Category, Message, State, Exception ?? string.Empty }.Concat(Scopes));
}
