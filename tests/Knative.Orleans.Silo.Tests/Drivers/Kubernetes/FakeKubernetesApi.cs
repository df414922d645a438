using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>
/// A Kubernetes API server on a loopback port with just what the driver uses: apps/v1 Deployments (list, create, read,
/// replace with resourceVersion checks, delete), core/v1 pods (list, chunked JSON watch from a resourceVersion, merge
/// patch of annotations). A tiny ReplicaSet controller makes pods follow <c>spec.replicas</c> (on scale-down it removes
/// not-ready pods first, then the lowest pod-deletion-cost, then the newest). Tests drive pod status (ready, crash,
/// stuck) and inject faults (any status on any request).
/// </summary>
internal sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Deployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly List<(long Rv, string Type, string Json)> _events = [];
    private readonly List<string> _requests = [];
    private readonly List<Interceptor> _interceptors = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _watchers = new();
    private long _rv = 100;
    private int _podSeq;
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var fake = new FakeKubernetesApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use(fake.InterceptAsync);
        fake.MapDeployments(app);
        fake.MapPods(app);
        await app.StartAsync();
        fake._app = app;
        fake.Url = app.Urls.First();
        return fake;
    }

    /// <summary>"METHOD path" of every request, in arrival order (watch requests end with " watch").</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The next <paramref name="times"/> requests matching method and path part get <paramref name="status"/>.</summary>
    public void Fail(string method, string pathPart, int status, int times = 1, string reason = "InternalError") =>
        Intercept(method, pathPart, times, async context =>
        {
            await WriteStatusAsync(context, status, reason, $"injected {status} for {method} {context.Request.Path}");
            return true;
        });

    /// <summary>Runs <paramref name="action"/> before the next <paramref name="times"/> matching requests; they proceed.</summary>
    public void Before(string method, string pathPart, Action action, int times = 1) =>
        Intercept(method, pathPart, times, _ =>
        {
            action();
            return Task.FromResult(false);
        });

    public V1Deployment? Deployment(string name)
    {
        lock (_gate)
        {
            return _deployments.TryGetValue(name, out var d) ? Clone(d) : null;
        }
    }

    public IReadOnlyList<V1Pod> PodsOf(string deployment)
    {
        lock (_gate)
        {
            return [.. _pods.Values.Where(p => DeploymentOf(p) == deployment)
                .OrderBy(p => p.Metadata.CreationTimestamp).Select(Clone)];
        }
    }

    /// <summary>A Deployment that already exists (left by an earlier run), with its pods made ready at 10.1.0.N.</summary>
    public void Seed(V1Deployment deployment, bool ready = true)
    {
        lock (_gate)
        {
            var copy = Clone(deployment);
            copy.Metadata.ResourceVersion = (++_rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            copy.Metadata.Uid = Guid.NewGuid().ToString();
            _deployments[copy.Metadata.Name] = copy;
            Reconcile(copy);
            if (ready)
            {
                foreach (var pod in _pods.Values.Where(p => DeploymentOf(p) == copy.Metadata.Name).ToList())
                {
                    SetReady(pod, $"10.1.0.{++_podSeq}");
                }
            }
        }
    }

    /// <summary>Another writer changed the Deployment: its resourceVersion moves on (a stale replace gets 409).</summary>
    public void Touch(string name)
    {
        lock (_gate)
        {
            var d = _deployments[name];
            d.Metadata.Annotations ??= new Dictionary<string, string>();
            d.Metadata.Annotations["touched-by"] = "someone-else";
            d.Metadata.ResourceVersion = NextRv();
        }
    }

    /// <summary>Pod scheduled and passing its readiness probe, at <paramref name="ip"/>.</summary>
    public void MarkReady(string pod, string ip)
    {
        lock (_gate)
        {
            SetReady(_pods[pod], ip);
        }
    }

    /// <summary>The user container exited with <paramref name="exitCode"/> and was restarted (CrashLoopBackOff).</summary>
    public void Crash(string pod, int exitCode, string message)
    {
        lock (_gate)
        {
            var p = _pods[pod];
            var restarts = p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount ?? 0;
            p.Status ??= new V1PodStatus();
            p.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }];
            p.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "user-container", Image = "img", ImageID = "", Ready = false, RestartCount = restarts + 1,
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
                    LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = "Error", Message = message } },
                },
            ];
            Emit("MODIFIED", p);
        }
    }

    /// <summary>The container cannot start (e.g. ImagePullBackOff).</summary>
    public void Stuck(string pod, string reason, string message)
    {
        lock (_gate)
        {
            var p = _pods[pod];
            p.Status ??= new V1PodStatus();
            p.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "user-container", Image = "img", ImageID = "", Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
                },
            ];
            Emit("MODIFIED", p);
        }
    }

    /// <summary>Ends every open watch stream (the driver must list and watch again).</summary>
    public void CloseWatches()
    {
        lock (_gate)
        {
            _watchers.Cancel();
            _watchers = new CancellationTokenSource();
        }
    }

    /// <summary>Deletes a pod as a node failure would (the controller then makes a replacement).</summary>
    public void KillPod(string pod)
    {
        lock (_gate)
        {
            var p = _pods[pod];
            _pods.Remove(pod);
            Emit("DELETED", p);
            if (DeploymentOf(p) is { } owner && _deployments.TryGetValue(owner, out var d))
            {
                Reconcile(d);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the fake's state (checked on every change).</summary>
    public async Task WaitAsync(Func<FakeKubernetesApi, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"fake API server: {what} did not happen; requests: {string.Join(" | ", Requests)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        CloseWatches();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private void Intercept(string method, string pathPart, int times, Func<HttpContext, Task<bool>> run)
    {
        lock (_gate)
        {
            _interceptors.Add(new Interceptor(method, pathPart, run) { Remaining = times });
        }
    }

    private async Task InterceptAsync(HttpContext context, Func<Task> next)
    {
        var watch = context.Request.Query["watch"] == "true" ? " watch" : "";
        Interceptor? hit;
        lock (_gate)
        {
            _requests.Add($"{context.Request.Method} {context.Request.Path}{watch}");
            hit = _interceptors.FirstOrDefault(i => i.Remaining > 0 && i.Method == context.Request.Method
                && context.Request.Path.Value!.Contains(i.PathPart, StringComparison.Ordinal));
            if (hit is not null)
            {
                hit.Remaining--;
            }

            Changed();
        }

        if (hit is null || !await hit.Run(context))
        {
            await next();
        }
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        return context.Response.WriteAsync(status.ToJsonString(), Encoding.UTF8);
    }

    private static async Task WriteJsonAsync(HttpContext context, object value, int code = 200)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(value), Encoding.UTF8);
    }

    private static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    private string NextRv() => (++_rv).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Changed()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Interceptor(string method, string pathPart, Func<HttpContext, Task<bool>> run)
    {
        public string Method { get; } = method;

        public string PathPart { get; } = pathPart;

        public Func<HttpContext, Task<bool>> Run { get; } = run;

        public int Remaining { get; set; }
    }
}
