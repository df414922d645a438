using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Knative.Orleans.Gateway.Proxy;

public sealed partial class DirectForwarder
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CheckIdleAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);
    private const int MaxIdlePerInstance = 512;

    /// <summary>One keep-alive connection to an instance, with the buffers its exchanges use (one exchange at a time).</summary>
    private sealed class Connection(Socket socket) : IDisposable
    {
        private int _aborted;

        public Socket Socket { get; } = socket;

        /// <summary>Bytes received: the unread ones are [Start, End).</summary>
        public byte[] Buffer { get; private set; } = new byte[16 * 1024];

        public int Start { get; set; }

        public int End { get; set; }

        public int Buffered => End - Start;

        /// <summary>The request head being written.</summary>
        public byte[] Head { get; private set; } = new byte[4 * 1024];

        public int HeadLength { get; set; }

        /// <summary>Where each header of the response head being read is: name start and length, value start and length.</summary>
        public List<(int NameStart, int NameLength, int ValueStart, int ValueLength)> HeaderRanges { get; } = [];

        public long IdleSince { get; set; }

        public bool Aborted => Volatile.Read(ref _aborted) != 0;

        /// <summary>
        /// The free end of the buffer to receive into (compacting, or growing up to <paramref name="limit"/>, when
        /// full); add what was received to <see cref="End"/>.
        /// </summary>
        public Memory<byte> FreeSpace(int limit)
        {
            if (Start == End)
            {
                Start = End = 0;
            }
            else if (End == Buffer.Length)
            {
                if (Start > 0)
                {
                    Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
                    End -= Start;
                    Start = 0;
                }
                else if (Buffer.Length < limit)
                {
                    var bigger = new byte[Math.Min(limit, Buffer.Length * 2)];
                    Buffer.AsSpan(0, End).CopyTo(bigger);
                    Buffer = bigger;
                }
                else
                {
                    throw new InvalidDataException($"the instance's response head is longer than {limit} bytes");
                }
            }

            return Buffer.AsMemory(End);
        }

        public void AppendHead(string text)
        {
            EnsureHead(text.Length);
            HeadLength += Encoding.Latin1.GetBytes(text, Head.AsSpan(HeadLength));
        }

        public void AppendHead(ReadOnlySpan<byte> bytes)
        {
            EnsureHead(bytes.Length);
            bytes.CopyTo(Head.AsSpan(HeadLength));
            HeadLength += bytes.Length;
        }

        /// <summary>Closes the socket (once); pending operations fail. Called by the timers, the client going away, or the pool.</summary>
        /// <remarks>
        /// Shutdown first: disposing a socket with a receive pending does not send the FIN until that receive completes,
        /// so an instance waiting for the gateway would never learn that the request is over.
        /// </remarks>
        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 0)
            {
                try
                {
                    Socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // not connected (any more): nothing to tell the instance
                }

                Socket.Dispose();
            }
        }

        public void Dispose() => Abort();

        private void EnsureHead(int more)
        {
            if (HeadLength + more > Head.Length)
            {
                var bigger = new byte[Math.Max(Head.Length * 2, HeadLength + more)];
                Head.AsSpan(0, HeadLength).CopyTo(bigger);
                Head = bigger;
            }
        }
    }

    /// <summary>
    /// The idle connections to one instance. A <see cref="ConcurrentBag{T}"/>: each socket thread mostly takes back what
    /// it returned (thread-local lists, no shared lock on the hot path; a lock and a stack here made the two socket
    /// threads contend on every request).
    /// </summary>
    private sealed class ConnectionPool(EndPoint endPoint, TimeProvider time)
    {
        private readonly ConcurrentBag<Connection> _idle = [];
        private long _lastUsed = time.GetTimestamp();
        private int _idleCount;
        private volatile bool _retired;

        public int IdleCount => Volatile.Read(ref _idleCount);

        /// <summary>An idle connection that is still open, or null.</summary>
        public Connection? TryTake()
        {
            var now = time.GetTimestamp();
            Volatile.Write(ref _lastUsed, now);
            while (_idle.TryTake(out var connection))
            {
                Interlocked.Decrement(ref _idleCount);
                var idle = time.GetElapsedTime(connection.IdleSince, now);
                if (idle < CheckIdleAfter)
                {
                    return connection; // busy traffic: no check, a closed one is found by the exchange and retried
                }

                // Idle a while: the instance may have closed it (its keep-alive timeout). Readable now means closed (or
                // unexpected bytes): either way not reusable. One poll(2), only off the hot path.
                if (idle < IdleLifetime && !connection.Aborted && !connection.Socket.Poll(0, SelectMode.SelectRead))
                {
                    return connection;
                }

                connection.Dispose();
            }

            return null;
        }

        public void Return(Connection connection) => Return(connection, time.GetTimestamp());

        private void Return(Connection connection, long idleSince)
        {
            connection.Start = connection.End = 0;
            connection.IdleSince = idleSince;
            if (!_retired)
            {
                if (Interlocked.Increment(ref _idleCount) <= MaxIdlePerInstance)
                {
                    _idle.Add(connection);
                    if (_retired && _idle.TryTake(out var late))
                    {
                        // Retired meanwhile (Close or Sweep): what is still in the bag is not reused.
                        Interlocked.Decrement(ref _idleCount);
                        late.Dispose();
                    }

                    return;
                }

                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
        }

        public async Task<Connection> ConnectAsync(CancellationToken clientGone, CancellationToken timers)
        {
            var socket = endPoint is IPEndPoint ip
                ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.NoDelay = true;
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(clientGone, timers);
            connect.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endPoint, connect.Token);
                return new Connection(socket);
            }
            catch (OperationCanceledException) when (!clientGone.IsCancellationRequested && !timers.IsCancellationRequested)
            {
                socket.Dispose();
                throw new SocketException((int)SocketError.TimedOut); // a connect timeout is a connection error (retried elsewhere)
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Closes connections idle past their lifetime; true when the pool is empty and unused for a lifetime (then retired).</summary>
        public bool Sweep()
        {
            var now = time.GetTimestamp();
            List<Connection> keep = [];
            while (_idle.TryTake(out var connection))
            {
                Interlocked.Decrement(ref _idleCount);
                if (time.GetElapsedTime(connection.IdleSince, now) < IdleLifetime && !connection.Aborted)
                {
                    keep.Add(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }

            if (keep.Count == 0 && time.GetElapsedTime(Volatile.Read(ref _lastUsed), now) >= IdleLifetime)
            {
                _retired = true;
                return true;
            }

            foreach (var connection in keep)
            {
                Return(connection, connection.IdleSince);
            }

            return false;
        }

        public void Close()
        {
            _retired = true;
            while (_idle.TryTake(out var connection))
            {
                Interlocked.Decrement(ref _idleCount);
                connection.Dispose();
            }
        }
    }

    /// <summary>A pool per instance address; a timer closes expired connections and drops pools of instances gone quiet.</summary>
    private sealed class ConnectionPools : IDisposable
    {
        private readonly ConcurrentDictionary<string, ConnectionPool> _pools = new(StringComparer.Ordinal);
        private readonly TimeProvider _time;
        private readonly ITimer _sweeper;

        public ConnectionPools(TimeProvider time)
        {
            _time = time;
            _sweeper = time.CreateTimer(static s => ((ConnectionPools)s!).Sweep(), this, SweepPeriod, SweepPeriod);
        }

        public int IdleCount => _pools.Values.Sum(p => p.IdleCount);

        public ConnectionPool For(string address) =>
            _pools.GetOrAdd(address, static (a, time) => new ConnectionPool(EndPointOf(a), time), _time);

        public void Dispose()
        {
            _sweeper.Dispose();
            foreach (var pool in _pools.Values)
            {
                pool.Close();
            }
        }

        private static EndPoint EndPointOf(string address)
        {
            var uri = new Uri(address, UriKind.Absolute);
            return IPAddress.TryParse(uri.IdnHost, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.IdnHost, uri.Port);
        }

        private void Sweep()
        {
            foreach (var (address, pool) in _pools)
            {
                if (pool.Sweep())
                {
                    // Retired: a request that took it from the dictionary just before still works (it connects; the
                    // connection is closed on return instead of kept). The next request gets a new pool.
                    _pools.TryRemove(KeyValuePair.Create(address, pool));
                }
            }
        }
    }
}
