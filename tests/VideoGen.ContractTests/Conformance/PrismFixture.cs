using VideoGen.ContractTests.Infrastructure;

namespace VideoGen.ContractTests.Conformance;

/// <summary>
/// One Prism mock per conformance test class (an xUnit class fixture): started on the first test with the
/// class's spec, killed with its process tree when the class is done.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PrismSession? _session;

    internal async Task<PrismSession> SessionAsync(string spec)
    {
        await _gate.WaitAsync();
        try
        {
            _session ??= await PrismSession.StartAsync(spec);
            _session.Spec.ShouldBe(spec, "one fixture serves one spec");
            return _session;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _gate.Dispose();
    }
}
