using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// One broker's newest committed events kept in memory by an event store, in position order: every committed event of
/// the broker after <see cref="_coveredFrom"/> is in <see cref="_events"/> (<see cref="long.MaxValue"/>: none known yet).
/// A read right behind the head (a trigger woken by its broker) is answered from here, and every trigger of the broker
/// gets the same stored events (the decoded-event cache matches them by reference).
/// </summary>
/// <param name="keep">Events kept (a quarter more before older ones are dropped).</param>
internal sealed class CommittedTail(int keep)
{
    private readonly List<StoredEvent> _events = [];
    private long _coveredFrom = long.MaxValue;
    private long _bytes;

    /// <summary>
    /// The next committed event of the broker (positions only grow), counted in <paramref name="totalBytes"/> against
    /// <paramref name="budget"/>. With <paramref name="contiguous"/> (a store whose positions are consecutive but that may
    /// not see every append, e.g. another silo's), an event that does not follow the last one starts the tail again at it.
    /// </summary>
    public void Add(StoredEvent stored, ref long totalBytes, long budget, bool contiguous)
    {
        ArgumentNullException.ThrowIfNull(stored);
        lock (_events)
        {
            var last = _events.Count > 0 ? _events[^1].Sequence : _coveredFrom;
            if (contiguous && last != long.MaxValue && stored.Sequence != last + 1)
            {
                ResetLocked(stored.Sequence - 1, ref totalBytes); // an append this store did not see: cover only from here
            }

            if (_coveredFrom == long.MaxValue)
            {
                _coveredFrom = stored.Sequence - 1; // nothing of this broker was committed between the two
            }

            var size = stored.Event.Payload.Length;
            if (Interlocked.Read(ref totalBytes) + size > budget)
            {
                ResetLocked(stored.Sequence, ref totalBytes); // not kept: start again after it
                return;
            }

            _events.Add(stored);
            _bytes += size;
            Interlocked.Add(ref totalBytes, size);
            if (_events.Count > keep + (keep / 4))
            {
                var drop = _events.Count - keep;
                var dropped = 0L;
                for (var i = 0; i < drop; i++)
                {
                    dropped += _events[i].Event.Payload.Length;
                }

                _coveredFrom = _events[drop - 1].Sequence;
                _events.RemoveRange(0, drop);
                _bytes -= dropped;
                Interlocked.Add(ref totalBytes, -dropped);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> events after <paramref name="after"/>, or null when this tail cannot tell. Nothing
    /// after the last event is known only to the <paramref name="onlyWriter"/> of the log: for anyone else a read at or
    /// past it is null (the log may hold newer events).
    /// </summary>
    public List<StoredEvent>? TryRead(long after, int max, bool onlyWriter)
    {
        lock (_events)
        {
            if (after < _coveredFrom || (!onlyWriter && (_events.Count == 0 || after >= _events[^1].Sequence)))
            {
                return null;
            }

            var (low, high) = (0, _events.Count);
            while (low < high) // the first event after `after`
            {
                var middle = (low + high) / 2;
                (low, high) = _events[middle].Sequence <= after ? (middle + 1, high) : (low, middle);
            }

            return _events.GetRange(low, Math.Clamp(_events.Count - low, 0, Math.Max(max, 0)));
        }
    }

    /// <summary>Forgets every event; the tail covers the positions after <paramref name="coveredFrom"/> again.</summary>
    public void Reset(long coveredFrom, ref long totalBytes)
    {
        lock (_events)
        {
            ResetLocked(coveredFrom, ref totalBytes);
        }
    }

    private void ResetLocked(long coveredFrom, ref long totalBytes)
    {
        _events.Clear();
        Interlocked.Add(ref totalBytes, -_bytes);
        _bytes = 0;
        _coveredFrom = coveredFrom;
    }
}
