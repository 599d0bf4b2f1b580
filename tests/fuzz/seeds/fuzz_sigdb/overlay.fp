classes = win,unix,other
ua_os = Linux,Windows
[mtu]
label = Ethernet or modem
sig = 1500
[tcp:request]
label = s:unix:Linux:3.x
sig = *:64:0:*:mss*10,7:mss,sok,ts,nop,ws:df,id+:0
label = g:unix:Linux:
sig = *:64:0:*:%8192,*:mss,nop,ws::0
[tcp:response]
label = s:win:Windows:XP
sig = 4:128-:0:1460:65535,0:mss,nop,nop,sok:df,id+,ecn:+
[http:request]
label = s:!:Firefox:
sys = Linux
sig = *:Host,User-Agent,?Accept:Accept-Charset:Firefox/

;;
classes = win,unix,lab
[mtu]
label = office VPN
sig = 1420
[tcp:request]
label = s:lab:Linux:v2
sig = *:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df,id+:0
[tcp:response]
label = s:unix:Linux:srv
sig = *:64:0:*:*,*:mss,nop,nop,sok,nop,ws:df:0
[http:request]
ua_os = Linux,Windows
label = s:!:curl:
sys = Linux
sig = *:Host,User-Agent,X-New:Connection:curl/
