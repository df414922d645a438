using System.Collections.Concurrent;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>
/// Counts requests per revision as the gateway sees them: in flight (held or proxied), arrivals, and the
/// time-weighted average concurrency of each sampling window.
/// </summary>
/// <remarks>
/// The average integrates in-flight over time: with 1 request for the first 250 ms, 2 for the next 250 ms and 1 for
/// the last 500 ms of a 1 s window, the average is (1×0.25 + 2×0.25 + 1×0.5) / 1 = 1.25. A revision is tracked
/// from its first request until a zero window has been collected after its last one, so memory follows activity.
/// </remarks>
public sealed class InFlightTracker(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, RevisionLoad> _loads = new(StringComparer.Ordinal);

    /// <summary>Counts a request for <paramref name="revisionKey"/> until the returned lease is disposed.</summary>
    public InFlightLease Begin(string revisionKey)
    {
        while (true)
        {
            var load = _loads.GetOrAdd(revisionKey, static (_, time) => new RevisionLoad(time), timeProvider);
            if (load.TryBegin())
            {
                return new InFlightLease(load);
            }

            // Retired concurrently by Collect; the next GetOrAdd creates a fresh entry.
        }
    }

    /// <summary>Requests of <paramref name="revisionKey"/> in flight now.</summary>
    public int GetInFlight(string revisionKey) => _loads.TryGetValue(revisionKey, out var load) ? load.InFlight : 0;

    /// <summary>
    /// Closes the current window of every tracked revision and returns the samples to report: a revision is reported
    /// while its window is non-zero, plus one all-zero window after activity stops; then it is forgotten.
    /// </summary>
    public IReadOnlyList<LoadSample> Collect()
    {
        var samples = new List<LoadSample>();
        foreach (var (key, load) in _loads)
        {
            var window = load.Cut(key, out var report, out var retire);
            if (report)
            {
                samples.Add(window);
            }

            if (retire)
            {
                _loads.TryRemove(new KeyValuePair<string, RevisionLoad>(key, load));
            }
        }

        return samples;
    }

    internal sealed class RevisionLoad
    {
        private readonly Lock _gate = new();
        private readonly TimeProvider _time;
        private long _windowStart;
        private long _lastChange;
        private double _area;               // Σ in-flight × seconds since the window started
        private int _inFlight;
        private int _arrivals;
        private bool _lastReportedNonZero;
        private bool _retired;

        public RevisionLoad(TimeProvider time)
        {
            _time = time;
            _windowStart = _lastChange = time.GetTimestamp();
        }

        public int InFlight
        {
            get
            {
                lock (_gate)
                {
                    return _inFlight;
                }
            }
        }

        public bool TryBegin()
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return false;
                }

                Advance();
                _inFlight++;
                _arrivals++;
                return true;
            }
        }

        public void End()
        {
            lock (_gate)
            {
                Advance();
                _inFlight--;
            }
        }

        public LoadSample Cut(string revisionKey, out bool report, out bool retire)
        {
            lock (_gate)
            {
                var now = Advance();
                var seconds = _time.GetElapsedTime(_windowStart, now).TotalSeconds;
                var average = seconds > 0 ? _area / seconds : _inFlight;
                var sample = new LoadSample(revisionKey, average, _arrivals, _inFlight);
                var nonZero = average > 0 || _arrivals > 0 || _inFlight > 0;
                report = nonZero || _lastReportedNonZero;
                retire = !nonZero;
                _retired = retire;
                _lastReportedNonZero = nonZero;
                _windowStart = now;
                _area = 0;
                _arrivals = 0;
                return sample;
            }
        }

        private long Advance()
        {
            var now = _time.GetTimestamp();
            _area += _inFlight * _time.GetElapsedTime(_lastChange, now).TotalSeconds;
            _lastChange = now;
            return now;
        }
    }
}
