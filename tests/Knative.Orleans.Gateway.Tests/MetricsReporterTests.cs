using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

public sealed class MetricsReporterTests
{
    private const string Rev = "default/hello-00001";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly RecordingMetricsSink _sink = new();
    private readonly InFlightTracker _tracker;
    private readonly MetricsReporter _reporter;

    public MetricsReporterTests()
    {
        _tracker = new InFlightTracker(_time);
        _reporter = new MetricsReporter(_tracker, _sink, _time, NullLogger<MetricsReporter>.Instance);
    }

    [Fact]
    public async Task Sends_samples_while_active_then_one_zero_sample_then_nothing()
    {
        var lease = _tracker.Begin(Rev);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _reporter.TickAsync(CancellationToken.None);                // 1 in flight all second

        _time.Advance(TimeSpan.FromMilliseconds(500));
        lease.Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await _reporter.TickAsync(CancellationToken.None);                // half a second of 1

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await _reporter.TickAsync(CancellationToken.None);            // one zero, then quiet
        }

        Assert.All(_sink.Sent, s => Assert.Equal(Rev, s.RevisionKey));
        var samples = _sink.Sent.Select(s => s.Sample).ToList();
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.Equal(_reporter.GatewayId, s.GatewayId));
        Assert.Equal((1.0, 1, 1, 1_700_000_001_000L), (samples[0].AverageConcurrency, samples[0].RequestCount, samples[0].InFlight, samples[0].TimestampUnixMs));
        Assert.Equal((0.5, 0, 0), (samples[1].AverageConcurrency, samples[1].RequestCount, samples[1].InFlight));
        Assert.Equal((0.0, 0, 0, 1_700_000_003_000L), (samples[2].AverageConcurrency, samples[2].RequestCount, samples[2].InFlight, samples[2].TimestampUnixMs));
    }

    [Fact]
    public void Report_now_sends_the_held_requests_at_once_without_counting_them()
    {
        using var held = _tracker.Begin(Rev);

        _reporter.ReportNow(Rev);

        var (key, sample) = Assert.Single(_sink.Sent);
        Assert.Equal(Rev, key);
        Assert.Equal((1.0, 0, 1), (sample.AverageConcurrency, sample.RequestCount, sample.InFlight));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), sample.TimestampUnixMs);
    }
}
