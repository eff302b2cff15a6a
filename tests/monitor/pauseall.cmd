# Every domain paused: the run stops in the monitor (only it can unpause);
# unpause and the run goes on to its end.
stepi 20
pause 1
continue
info domains
unpause 1
continue
