using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>The 1 s metric batches and the cold-start poke, on a scripted clock.</summary>
public sealed class MetricsReporterTests : IDisposable
{
    private const string Busy = "default/busy-00001";
    private const string Quiet = "default/quiet-00001";
    private const string Cold = "default/cold-00001";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly RecordingMetricsSink _sink = new();
    private readonly ServiceProvider _services;

    public MetricsReporterTests() => _services = GatewayServices.Build(new FakeRoutingSource(), _time, _sink);

    private string GatewayId => _services.GetRequiredService<GatewayMembership>().SelfId;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Each_tick_sends_one_batch_with_zeros_for_revisions_that_have_ready_instances()
    {
        var cache = _services.GetRequiredService<RouteCache>();
        cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Busy, 1, ["http://10.0.0.1:80", "http://10.0.0.2:80"], containerConcurrency: 1));
        cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Quiet, 1, ["http://10.0.0.3:80"]));
        cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Cold, 1, []));
        var reporter = _services.GetRequiredService<MetricsReporter>();

        // One request to Busy for the whole first second, holding a slot at instance i-0 (CC 1: first free instance).
        var lease = _services.GetRequiredService<InFlightTracker>().Begin(Busy);
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        var slot = (await _services.GetRequiredService<ThrottlerRegistry>().AcquireAsync(Busy, timers, null, CancellationToken.None)).Slot!;
        _time.Advance(TimeSpan.FromSeconds(1));
        await reporter.TickAsync(CancellationToken.None);

        slot.Dispose();
        lease.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));
        await reporter.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await reporter.TickAsync(CancellationToken.None);

        Assert.Equal(3, _sink.Batches.Count);
        Assert.Empty(_sink.Sent);
        Assert.All(_sink.Batches, b => Assert.Equal(GatewayId, b.GatewayId));
        Assert.Equal([1_700_000_001_000L, 1_700_000_002_000L, 1_700_000_003_000L], _sink.Batches.Select(b => b.TimestampUnixMs));

        var first = _sink.Batches[0].Entries.ToDictionary(e => e.RevisionKey, e => e.Sample);
        Assert.Equal([Busy, Quiet], first.Keys.Order());
        Assert.Equal((1.0, 1, 1), (first[Busy].AverageConcurrency, first[Busy].RequestCount, first[Busy].InFlight));
        Assert.Equal([("i-0", 1), ("i-1", 0)], first[Busy].Instances.Select(i => (i.InstanceId, i.InFlight)).Order());
        Assert.Equal((0.0, 0, 0), (first[Quiet].AverageConcurrency, first[Quiet].RequestCount, first[Quiet].InFlight));

        // Without traffic, both revisions with ready instances keep reporting zeros; the cold one never appears.
        foreach (var batch in _sink.Batches.Skip(1))
        {
            Assert.Equal([Busy, Quiet], batch.Entries.Select(e => e.RevisionKey).Order());
            Assert.All(batch.Entries, e => Assert.Equal((0.0, 0, 0), (e.Sample.AverageConcurrency, e.Sample.RequestCount, e.Sample.InFlight)));
            Assert.All(batch.Entries, e => Assert.Equal(GatewayId, e.Sample.GatewayId));
        }

        Assert.Equal([("i-0", 0), ("i-1", 0)], _sink.Batches[2].Entries.Single(e => e.RevisionKey == Busy).Sample.Instances.Select(i => (i.InstanceId, i.InFlight)).Order());
    }

    [Fact]
    public async Task Held_requests_are_reported_until_they_end_then_once_as_zero()
    {
        var reporter = _services.GetRequiredService<MetricsReporter>();
        var held = _services.GetRequiredService<InFlightTracker>().Begin(Cold);
        _time.Advance(TimeSpan.FromSeconds(1));
        await reporter.TickAsync(CancellationToken.None);
        held.Dispose();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await reporter.TickAsync(CancellationToken.None);
        }

        Assert.Equal(2, _sink.Batches.Count); // the held second, one zero; then nothing to send
        Assert.Equal(1, Assert.Single(_sink.Batches[0].Entries).Sample.InFlight);
        Assert.Equal(0, Assert.Single(_sink.Batches[1].Entries).Sample.InFlight);
    }

    [Fact]
    public void Cold_start_poke_sends_the_held_requests_at_once_as_a_direct_sample()
    {
        using var held = _services.GetRequiredService<InFlightTracker>().Begin(Cold);

        _services.GetRequiredService<ColdStartPoke>().Report(Cold);

        var (key, sample) = Assert.Single(_sink.Sent);
        Assert.Equal(Cold, key);
        Assert.Equal((1.0, 0, 1), (sample.AverageConcurrency, sample.RequestCount, sample.InFlight));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), sample.TimestampUnixMs);
        Assert.Equal(GatewayId, sample.GatewayId);
        Assert.Empty(_sink.Batches);
    }
}
