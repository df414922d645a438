using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>Which binary a <see cref="PlatformProcess"/> runs.</summary>
public enum PlatformBinary
{
    /// <summary><c>src/Silo</c>: the platform (a silo, its admin API and, unless <c>Gateway:Enabled=false</c>, a gateway).</summary>
    Silo,

    /// <summary><c>src/Gateway</c>: a standalone gateway (an Orleans client); ready when its <c>/readyz</c> answers 200.</summary>
    Gateway,
}

/// <summary>
/// The real platform (<c>src/Silo</c>'s binary), or a standalone gateway (<c>src/Gateway</c>'s), as a child process with
/// its own free ports and data directory. Several of them with the same <c>Redis:ConnectionString</c> form a cluster
/// (see <see cref="ClusterHarness"/>).
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    public const string Token = "e2e-token";
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    public PlatformProcess(string dataPath, IDictionary<string, string?>? settings = null, PlatformBinary binary = PlatformBinary.Silo)
    {
        DataPath = dataPath;
        Binary = binary;
        GatewayPort = FreePort();
        AdminPort = FreePort();
        _settings = binary == PlatformBinary.Gateway
            ? new Dictionary<string, string>
            {
                ["Gateway:Url"] = $"http://127.0.0.1:{GatewayPort}",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Knative"] = "Information",
            }
            : new Dictionary<string, string>
            {
                ["Gateway:Url"] = $"http://127.0.0.1:{GatewayPort}",
                ["Admin:Url"] = $"http://127.0.0.1:{AdminPort}",
                ["Admin:Token"] = Token,
                ["Storage:Path"] = dataPath,
                ["Cluster:SiloPort"] = FreePort().ToString(),
                ["Cluster:GatewayPort"] = FreePort().ToString(),
                ["Autoscaler:stable-window"] = "6s",
                ["Autoscaler:scale-to-zero-grace-period"] = "1s",
                ["Logging:LogLevel:Default"] = "Information",
            };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            if (v is null)
            {
                _settings.Remove(k); // e.g. no Admin:Token: the platform generates one
            }
            else
            {
                _settings[k] = v;
            }
        }

        OrleansGatewayPort = _settings.TryGetValue("Cluster:GatewayPort", out var orleansGateway) ? int.Parse(orleansGateway) : 0;

        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AdminPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Gateway = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public string DataPath { get; }

    public PlatformBinary Binary { get; }

    public int GatewayPort { get; }

    public int AdminPort { get; }

    public int OrleansGatewayPort { get; }

    public HttpClient Admin { get; }

    public HttpClient Gateway { get; }

    public int Pid => _process?.Id ?? 0;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the process (again, after <see cref="CrashAsync"/>: same ports and data) and waits until <c>/readyz</c>
    /// answers 200 on the admin URL (a standalone gateway: on its gateway URL).
    /// </summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(DataPath);
        _process?.Dispose();
        var probe = Binary == PlatformBinary.Gateway ? Gateway : Admin;
        _process = Process.Start(StartInfo())!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"platform exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("platform did not become ready:\n" + Output);
    }

    /// <summary>Runs the platform expecting it to refuse to start; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunToExitAsync()
    {
        var info = StartInfo();
        Directory.CreateDirectory(DataPath);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code and the time it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync()
    {
        var watch = Stopwatch.StartNew();
        Native.Kill(_process!.Id, Native.SigTerm);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (_process.ExitCode, watch.Elapsed);
    }

    /// <summary>SIGKILL, as a crash.</summary>
    public async Task CrashAsync()
    {
        Native.Kill(_process!.Id, Native.SigKill);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Native.Kill(_process.Id, Native.SigTerm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        Admin.Dispose();
        Gateway.Dispose();
    }

    private ProcessStartInfo StartInfo()
    {
        var name = Binary == PlatformBinary.Gateway ? "Knative.Orleans.Gateway" : "Knative.Orleans.Silo";
        var dll = Path.Combine(Repo.Root, "artifacts", "bin", name, "debug", name + ".dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DataPath };
        info.ArgumentList.Add(dll);
        foreach (var (k, v) in _settings)
        {
            info.ArgumentList.Add($"--{k}={v}");
        }

        return info;
    }

    /// <summary>A port for a server of the test (<see cref="Knative.Orleans.Tests.Shared.TestPorts"/>: never an ephemeral one).</summary>
    public static int FreePort() => Knative.Orleans.Tests.Shared.TestPorts.Free();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
